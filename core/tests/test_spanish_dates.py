"""Spanish writes weekdays and months in lower case mid-sentence; a heading or a cell that starts with one
capitalises only its first letter. The project catalogue once said "Miércoles" and overrode Django's own."""

import datetime as dt
import types

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation

from core.templatetags.dates import long_date, weekday_and_day
from logistics.fleet import driver_shifts_save
from logistics.models import WEEKDAYS

WEDNESDAY = dt.date(2026, 12, 2)


def test_a_long_date_in_spanish_keeps_weekday_and_month_in_lower_case():
    with translation.override("es"):
        assert long_date(WEDNESDAY) == "miércoles, 2 de diciembre de 2026"
        assert weekday_and_day(WEDNESDAY) == "miércoles, 2 de diciembre"


def test_every_weekday_label_of_the_catalogue_is_lower_case_in_spanish():
    with translation.override("es"):
        labels = [str(label) for label in WEEKDAYS]
    assert labels == ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def test_english_keeps_its_capitals():
    with translation.override("en"):
        assert long_date(WEDNESDAY).startswith("Wednesday, ")


def test_the_stock_cover_chart_writes_short_months_in_lower_case_in_spanish():
    line = types.SimpleNamespace(
        label="Leche",
        runs_out_on=WEDNESDAY,
        points="",
        colour="#000",
        dash="",
        out_x=0,
        out_y=0,
        legend_x=0,
        legend_y=0,
    )
    chart = types.SimpleNamespace(
        width=1,
        height=1,
        y_ticks=[],
        x_ticks=[types.SimpleNamespace(x=0, day=WEDNESDAY)],
        series=[line],
        left=0,
        right=0,
        top=0,
        bottom=0,
        zero_y=0,
        middle_y=0,
    )
    with translation.override("es"):
        svg = render_to_string("inventory/forecast/_cover_chart.html", {"chart": chart})

    assert "2 dic." in svg
    assert "Dic" not in svg


@pytest.mark.django_db
def test_a_shift_error_that_starts_with_the_weekday_capitalises_it_in_spanish(role_users):
    with translation.override("es"), pytest.raises(ValidationError) as excinfo:
        driver_shifts_save(
            actor=role_users["logistics_planner"], driver=role_users["driver"], week={2: (dt.time(10), None)}
        )

    assert excinfo.value.error_list[0].code == "shift_half_blank"
    assert excinfo.value.messages[0].startswith("Miércoles: ")
