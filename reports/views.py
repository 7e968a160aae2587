"""The manager's figures page and its CSV/XLSX export."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.permissions import permission_needed
from delivery.surveys import SCORE_LABELS, SCORES
from inventory.budgets import budget_alerts_live, budget_figures
from inventory.money import currency
from reports.case_work import intervention_figures
from reports.charts import BLUE, GREEN, VERMILION, BarChart, Series, bar_chart
from reports.conversations import response_figures
from reports.council import WRITERS as COUNCIL_WRITERS
from reports.council import council_report_file, period_parse
from reports.exports import tables_csv, tables_xlsx
from reports.first_level import complaints_in, first_level_figures
from reports.home import home_figures
from reports.metrics import ManagerFigures, Period, default_period, period_check
from reports.selectors import manager_figures
from reports.tables import figures_tables
from requests_intake.models import Zone

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", tables_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", tables_xlsx),
}


@login_required
def home(request):
    """Each role sees its own work; a person with several roles sees each part."""
    return render(request, "home.html", home_figures(request.user, timezone.localdate()))


class FiguresForm(forms.Form):
    first = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    zone = forms.ModelChoiceField(
        label=gettext_lazy("Zone"),
        queryset=Zone.objects.order_by("name"),
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("All zones"),
    )

    def __init__(self, *args, default: Period, **kwargs):
        super().__init__(*args, initial={"first": default.first, "last": default.last}, **kwargs)
        self.default = default

    def clean(self):
        data = super().clean()
        if "first" in data and "last" in data:
            try:
                # An empty date keeps the default's, so "from 1 March" alone runs to today.
                data["period"] = period_check(
                    first=data["first"] or self.default.first, last=data["last"] or self.default.last
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


def _chosen(request) -> tuple[FiguresForm, Period, Zone | None, bool]:
    """The form and what to show: the period asked for, or the default one when the form has errors."""
    default = default_period(timezone.localdate())
    if not request.GET:
        return FiguresForm(default=default), default, None, True
    form = FiguresForm(request.GET, default=default)
    if form.is_valid():
        return form, form.cleaned_data["period"], form.cleaned_data["zone"], True
    return form, default, form.cleaned_data.get("zone"), False


def _charts(figures: ManagerFigures) -> dict[str, BarChart]:
    weeks = figures.by_week
    days = figures.visits
    day_series = [
        Series(_("Delivered"), [day.delivered for day in days], GREEN),
        Series(_("Not delivered"), [day.failed for day in days], VERMILION),
    ]
    if figures.collected:  # a third colour only for the days pick-ups happened
        day_series.append(Series(_("Collected at the depot"), [day.collected for day in days], BLUE))
    return {
        "weeks": bar_chart(
            key="chart-weeks",
            title=_("Requests received per week"),
            y_label=_("Requests"),
            labels=[_("W%(week)s") % {"week": week.monday.isocalendar()[1]} for week in weeks],
            long_labels=[
                _("Week %(week)s, %(first)s to %(last)s")
                % {"week": week.iso_week, "first": week.first.strftime("%d/%m"), "last": week.last.strftime("%d/%m")}
                for week in weeks
            ],
            series=[Series(_("Requests"), [week.count for week in weeks], BLUE)],
        ),
        "days": bar_chart(
            key="chart-days",
            title=_("Visits per day: delivered and not delivered"),
            y_label=_("Visits"),
            labels=[day.day.strftime("%d/%m") for day in days],
            series=day_series,
        ),
        "scores": bar_chart(
            key="chart-scores",
            title=_("Satisfaction: answers per score"),
            y_label=_("Answers"),
            labels=[str(score) for score in SCORES],
            long_labels=[f"{score} · {SCORE_LABELS[score]}" for score in SCORES],
            series=[Series(_("Answers"), list(figures.satisfaction.scores), BLUE)],
        ),
    }


@permission_needed("requests_intake.view_audit")
def figures_page(request):
    form, period, zone, valid = _chosen(request)
    figures = manager_figures(period=period, zone=zone)
    return render(
        request,
        "reports/figures/page.html",
        {
            "form": form,
            "valid": valid,
            "figures": figures,
            "tables": {table.key: table for table in figures_tables(figures)},
            "charts": _charts(figures),
            "interventions": intervention_figures(period=period, zone=zone),
            "first_level": first_level_figures(period=period, zone=zone),
            "complaints": complaints_in(period),
            "responses": response_figures(period=period, zone=zone),
            "query": request.GET.urlencode() if valid else "",
            # The year of the period's end: a January view still shows the year it reports on when it ends there.
            "budgets": budget_figures(year=period.last.year),
            "budget_alerts": budget_alerts_live().filter(budget__year=period.last.year),
            "budget_threshold": settings.BUDGET_ALERT_PERCENT,
            "currency": currency(),
            "council_month": period.last.strftime("%Y-%m"),
        },
    )


@permission_needed("requests_intake.view_audit")
def figures_export(request, fmt: str):
    if fmt not in EXPORTS:
        raise Http404
    form, period, zone, valid = _chosen(request)
    if not valid:  # the page says what is wrong with the period; a file cannot
        return redirect(f"{reverse('figures')}?{request.GET.urlencode()}")
    content_type, write = EXPORTS[fmt]
    figures = manager_figures(period=period, zone=zone)
    name = "-".join(
        part for part in (slugify(_("figures")), str(period.first), str(period.last), zone and zone.code) if part
    )
    response = HttpResponse(write(figures_tables(figures)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@permission_needed("requests_intake.view_audit")
def council_report_export(request, fmt: str):
    """The council's report for ?month=YYYY-MM (or ?quarter=YYYY-Qn) as CSV, XLSX or PDF, in the reader's language."""
    if fmt not in COUNCIL_WRITERS:
        raise Http404
    try:
        period, name = period_parse(month=request.GET.get("month", ""), quarter=request.GET.get("quarter", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("figures")
    content_type, _write = COUNCIL_WRITERS[fmt]
    content = council_report_file(
        period=period, name=name, file_format=fmt, language=translation.get_language() or settings.LANGUAGE_CODE
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(_("council report"))}-{name}.{fmt}"'
    return response
