"""Route sheets, loading lists and depot summaries: what is printed, in which order, in the reader's language."""

import datetime as dt
import io
import unicodedata
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from core.pdf import FONT, FONT_BOLD, FONT_HAN, QrCode, TextLines, font_runs, glyphless, wrap_text
from core.tests.factories import tomorrow
from delivery import manifests
from delivery.manifests import (
    arrival_window,
    depot_summary_pdf,
    loading_list_pdf,
    manifests_write,
    route_sheet_pdf,
    stop_url,
)
from delivery.models import Round, Stop
from delivery.selectors import round_for_manifest
from delivery.tests.manifest_world import _order, _round, pdf_text
from inventory.tests.factories import ItemFactory, WarehouseFactory, pack_with
from logistics.models import DeliveryOrder
from logistics.windows import ARRIVAL_MARGIN, order_window
from requests_intake.models import Household
from requests_intake.tests.factories import HouseholdFactory, PharmacyFactory
from routing.models import PlanningRun, UnplacedOrder
from tests.scenarios import planned_stop

pytestmark = pytest.mark.django_db


# The window printed for each stop


def _unsaved_stop(arrival: dt.time, **household) -> Stop:
    arrival_at = timezone.make_aware(dt.datetime.combine(tomorrow(), arrival))
    household = Household(**household)
    start, end = order_window(household)  # as the order was made
    return Stop(arrival_at=arrival_at, order=DeliveryOrder(household=household, window_start=start, window_end=end))


def test_window_is_the_planned_arrival_give_or_take_half_an_hour():
    assert arrival_window(_unsaved_stop(dt.time(10, 15))) == (dt.time(9, 45), dt.time(10, 45))


def test_window_is_the_households_own_hours_when_it_gave_them():
    stop = _unsaved_stop(dt.time(10, 15), preferred_from=dt.time(10, 0), preferred_until=dt.time(12, 0))

    assert arrival_window(stop) == (dt.time(10, 0), dt.time(12, 0))


def test_one_preferred_bound_keeps_the_margin_for_the_other():
    stop = _unsaved_stop(dt.time(10, 15), preferred_from=dt.time(10, 0))

    assert arrival_window(stop) == (dt.time(10, 0), dt.time(10, 45))


def test_a_preferred_bound_that_leaves_no_window_falls_back_to_the_margin():
    stop = _unsaved_stop(dt.time(10, 15), preferred_from=dt.time(16, 0))

    assert arrival_window(stop) == (dt.time(9, 45), dt.time(10, 45))


# Route sheet


def test_spanish_route_sheet_keeps_accents_and_shows_the_stop(role_users):
    household = HouseholdFactory(given_name="Begoña", family_name="Núñez Ibáñez", access_notes="Tercero sin ascensor")
    stop = planned_stop(role_users, household=household)
    arrival = timezone.localtime(stop.arrival_at)
    start, end = arrival - ARRIVAL_MARGIN, arrival + ARRIVAL_MARGIN

    text = pdf_text(route_sheet_pdf(round_for_manifest(stop.round.pk), language="es"))

    assert "Hoja de ruta" in text
    assert "Dirección" in text
    assert f"1 {arrival:%H:%M} {start:%H:%M}–{end:%H:%M} Begoña Núñez Ibáñez +34968123456" in text
    assert f"{household.address} 30201 Cartagena Tercero sin ascensor" in text
    assert "Entregado No entregado Firma" in text


def test_route_sheet_prints_the_pharmacy_pickup_diets_and_reduced_mobility(role_users):
    household = HouseholdFactory(
        given_name="Rosa",
        diets=["halal", "gluten_free"],
        reduced_mobility=True,
        preferred_from=dt.time(10, 0),
        preferred_until=dt.time(12, 0),
    )
    order = _order(
        role_users,
        household=household,
        pharmacy=PharmacyFactory(name="Farmacia Ldo. Muñoz"),
        prescription_ref="RX-2026-7",
    )
    round_ = _round(role_users, [order])

    text = pdf_text(route_sheet_pdf(round_for_manifest(round_.pk), language="en"))

    assert "10:00–12:00 Rosa" in text
    assert "Pharmacy pickup: Farmacia Ldo. Muñoz, prescription RX-2026-7" in text
    assert "Reduced mobility Diet: Halal, Gluten-free" in text


def test_route_sheet_names_the_prescription_alone_when_no_pharmacy_is_recorded(role_users):
    order = _order(role_users, prescription_ref="RX-9")
    round_ = _round(role_users, [order])

    text = pdf_text(route_sheet_pdf(round_for_manifest(round_.pk), language="en"))

    assert "Pharmacy pickup: prescription RX-9" in text


def test_route_sheet_has_no_pharmacy_line_without_a_pharmacy(role_users):
    round_ = _round(role_users, [_order(role_users)])

    text = pdf_text(route_sheet_pdf(round_for_manifest(round_.pk), language="en"))

    assert "Pharmacy" not in text
    assert "Reduced mobility" not in text
    assert "Diet:" not in text


def test_stop_url_uses_the_site_url_setting(role_users, settings):
    settings.SITE_URL = "https://reparto.cartagena.es/"
    stop = _round(role_users, [_order(role_users)]).stops.get()

    assert stop_url(stop) == f"https://reparto.cartagena.es/driver/#stop-{stop.pk}"


def test_route_sheet_draws_one_qr_code_per_stop_with_that_stops_url(role_users, monkeypatch):
    round_ = _round(role_users, [_order(role_users) for _n in range(3)])
    drawn = []

    def spy(value, *, size):
        drawn.append(value)
        return QrCode(value, size=size)

    monkeypatch.setattr(manifests, "qr_code", spy)

    route_sheet_pdf(round_for_manifest(round_.pk), language="en")

    assert drawn == [f"http://127.0.0.1:8000/driver/#stop-{stop.pk}" for stop in round_.stops.order_by("sequence")]


def test_qr_code_is_a_version_3_symbol_with_its_finder_patterns():
    modules = QrCode("http://127.0.0.1:8000/driver/#stop-12345", size=50).modules

    assert len(modules) == 29  # 40 bytes at level M need version 3: 29 × 29 modules
    finder = [[True] * 7, [True, *[False] * 5, True]]
    for top, left in ((0, 0), (0, 22), (22, 0)):
        assert [row[left : left + 7] for row in modules[top : top + 2]] == finder


def test_route_sheet_queries_do_not_grow_with_the_stops(role_users):
    small = _round(role_users, [_order(role_users)])
    large = _round(role_users, [_order(role_users) for _n in range(4)])

    counts = []
    for round_ in (small, large):
        with CaptureQueriesContext(connection) as queries:
            route_sheet_pdf(round_for_manifest(round_.pk), language="en")
        counts.append(len(queries))

    assert counts[0] == counts[1] == 4  # round, stops (with their households and plans), order lines, packs


def test_route_sheet_of_a_round_without_stops_still_renders(role_users):
    round_ = _round(role_users, [])

    text = pdf_text(route_sheet_pdf(round_for_manifest(round_.pk), language="en"))

    assert "Route sheet" in text
    assert "0 stops, 23.4 km" in text
    assert "No stops on this round." in text


# Loading list


def test_loading_list_totals_the_packs_and_their_weight(role_users):
    stop = planned_stop(role_users, per_pack=3)  # three items of 1 kg and 1 l each

    text = pdf_text(loading_list_pdf(round_for_manifest(stop.round.pk), language="en"))

    assert "Loading list" in text
    assert "Load: 3.0 kg, 3 l" in text


def test_loading_list_puts_the_last_stop_first(role_users):
    names = ["Ana Primera", "Blas Segundo", "Celia Tercera"]
    orders = [
        _order(role_users, household=HouseholdFactory(given_name=n.split()[0], family_name=n.split()[1])) for n in names
    ]
    round_ = _round(role_users, orders)

    text = pdf_text(loading_list_pdf(round_for_manifest(round_.pk), language="en"))

    assert "1 3 Celia Tercera" in text
    assert text.index("Celia Tercera") < text.index("Blas Segundo") < text.index("Ana Primera")


def _heavy_round(role_users) -> Round:
    """An order of 2 packs and one of 1, each pack holding 2 × an item of 1.2 kg and 0.8 l."""
    pack = pack_with({ItemFactory(weight_kg=Decimal("1.200"), volume_l=Decimal("0.800")): 2}, name="Lote familiar")
    return _round(role_users, [_order(role_users, pack=pack, quantity=2), _order(role_users, pack=pack)])


def test_loading_list_writes_decimals_with_a_comma_in_spanish(role_users):
    text = pdf_text(loading_list_pdf(round_for_manifest(_heavy_round(role_users).pk), language="es"))

    assert "Lote familiar 3 7,2 4,8" in text  # 3 packs: 7.2 kg, 4.8 l
    assert "Carga: 7,2 kg, 5 l" in text


def test_loading_list_writes_decimals_with_a_point_in_english(role_users):
    text = pdf_text(loading_list_pdf(round_for_manifest(_heavy_round(role_users).pk), language="en"))

    assert "Lote familiar 3 7.2 4.8" in text
    assert "Load: 7.2 kg, 5 l (the van takes 400 kg, 3,000 l)" in text


def test_loading_list_of_a_round_without_stops_still_renders(role_users):
    text = pdf_text(loading_list_pdf(round_for_manifest(_round(role_users, []).pk), language="en"))

    assert "Nothing to load: the round has no stops." in text


# Depot summary and the files written after planning


def _left_out(role_users, run: PlanningRun, *, warehouse, reason: str = "stock_short", **fix) -> UnplacedOrder:
    order = _order(role_users, household=HouseholdFactory(given_name="Lorenzo"))
    # Approval sends every order to the first warehouse; this one is to leave from `warehouse`.
    DeliveryOrder.objects.filter(pk=order.pk).update(warehouse=warehouse)
    return UnplacedOrder.objects.create(run=run, order=order, reason=reason, **fix)


def test_depot_summary_lists_each_round_its_packs_and_the_orders_left_out(role_users):
    depot = WarehouseFactory()
    pack = pack_with({ItemFactory(): 1}, name="Lote básico")
    round_ = _round(role_users, [_order(role_users, pack=pack, quantity=2), _order(role_users, pack=pack)])
    left = _left_out(
        role_users,
        round_.run,
        warehouse=depot,
        reason="window_unreachable",
        fix_kind="widen_window",
        fix_value=13 * 3600,
    )

    text = pdf_text(depot_summary_pdf(run=round_.run, depot=depot, language="en"))

    vehicle = f"{round_.vehicle.name} ({round_.vehicle.plate})"
    assert f"{vehicle} driver 2 23.4 09:00–12:00 3 × Lote básico 3.0 3.0" in text
    assert "Packs to load in total" in text
    assert "Lote básico 3 3.0 3.0 Total 3 3.0 3.0" in text
    assert f"{left.order.pk} Lorenzo" in text
    reason = "No van can reach the address inside its delivery window and shift."
    assert f"{reason} Widen its window to run until at least 13:00." in text


def test_depot_summary_leaves_out_other_depots(role_users):
    here, elsewhere = WarehouseFactory(code="norte", name="Almacén Norte"), WarehouseFactory(code="sur", name="Sur")
    round_ = _round(role_users, [_order(role_users)], warehouse=elsewhere)
    _left_out(role_users, round_.run, warehouse=elsewhere)

    text = pdf_text(depot_summary_pdf(run=round_.run, depot=here, language="es"))

    assert "Almacén Norte" in text
    assert round_.vehicle.plate not in text
    assert "Lorenzo" not in text


def test_depot_summary_of_a_round_without_stops_still_renders(role_users):
    round_ = _round(role_users, [])

    text = pdf_text(depot_summary_pdf(run=round_.run, depot=round_.depot, language="en"))

    assert f"{round_.vehicle.name} ({round_.vehicle.plate}) driver 0 23.4 09:00–12:00" in text
    assert "None: every order for this depot is on a round." in text


def test_manifests_write_writes_each_rounds_sheets_and_a_summary_per_depot(role_users, settings, tmp_path):
    settings.MANIFEST_DIR = tmp_path
    central, north = WarehouseFactory(), WarehouseFactory(code="norte", name="Almacén Norte")
    round_ = _round(role_users, [_order(role_users)], warehouse=central)
    _left_out(role_users, round_.run, warehouse=north)  # a depot with no van that day still gets its summary
    run, plate = round_.run, round_.vehicle.plate.replace(" ", "")

    paths = manifests_write(run=run)

    assert [p.name for p in paths] == [
        f"run{run.pk}-assembly-central.pdf",
        f"run{run.pk}-{plate}-route.pdf",
        f"run{run.pk}-{plate}-loading.pdf",
        f"run{run.pk}-summary-central.pdf",
        f"run{run.pk}-summary-norte.pdf",
    ]
    assert {p.parent for p in paths} == {tmp_path / tomorrow().isoformat()}
    north_summary = pdf_text(paths[-1].read_bytes())
    assert "Almacén Norte" in north_summary
    assert "Lorenzo" in north_summary


# Every script

# (given name, family name) as a household gives them; the sheet prints "given family".
NAMES_IN_EVERY_SCRIPT = {
    "latin_extended": ("Ioana", "Ștefănescu Łódź"),
    "greek": ("Αλέξανδρος", "Παπαδόπουλος"),
    "cyrillic": ("Олена", "Бойко"),
    "arabic": ("مريم", "حداد"),
    "chinese": ("秀英", "王"),
    "all_at_once": ("مريم", "Бойко Ștefănescu 王"),
}


def _sheet_in_every_script(role_users) -> str:
    orders = [
        _order(role_users, household=HouseholdFactory(given_name=given, family_name=family))
        for given, family in NAMES_IN_EVERY_SCRIPT.values()
    ]
    return pdf_text(route_sheet_pdf(round_for_manifest(_round(role_users, orders).pk)))


def test_route_sheet_prints_names_in_latin_greek_cyrillic_and_chinese_as_written(role_users):
    text = _sheet_in_every_script(role_users)

    for script in ("latin_extended", "greek", "cyrillic", "chinese"):
        assert " ".join(NAMES_IN_EVERY_SCRIPT[script]) in text, script


def test_route_sheet_prints_arabic_joined(role_users):
    text = _sheet_in_every_script(role_users)

    # The sheet holds joined letters (presentation forms: initial meem, medial ya, final ra, final meem). pypdf
    # guesses the reading order of right-to-left glyphs from the page, so its text may come either way round; NFKC
    # turns the forms back into the letters typed. The order they are drawn in is checked on the cell below.
    typed = unicodedata.normalize("NFKC", text)
    assert "مريم حداد" in typed or "مريم حداد" in typed[::-1]
    assert "ﻣﺮﻳﻢ" in text or "ﻢﻳﺮﻣ" in text
    assert "مريم" not in text  # unjoined letters print as isolated glyphs, unreadable as a name


def test_a_cell_draws_arabic_right_to_left():
    cell = TextLines([("b", "مريم حداد"), ("", "مريم Бойко 王")])
    cell.wrap(200, 100)

    # Left to right as drawn: "حداد" left of "مريم", each word's last letter first.
    assert cell._laid == [(FONT_BOLD, "ﺩﺍﺪﺣ ﻢﻳﺮﻣ"), (FONT, "Бойко 王 ﻢﻳﺮﻣ")]


def test_a_wrapped_arabic_text_starts_on_its_first_line():
    cell = TextLines([("", "مريم حداد")])
    cell.wrap(30, 100)  # room for one word a line

    assert cell._laid == [(FONT, "ﻢﻳﺮﻣ"), (FONT, "ﺩﺍﺪﺣ")]


def embedded_fonts(content: bytes) -> dict[str, bool]:
    """Each font the PDF's pages use, and whether its TrueType program is inside the file."""
    fonts = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in font.get("/FontDescriptor", {})
    return fonts


def test_route_sheet_embeds_every_font_it_names(role_users):
    orders = [_order(role_users, household=HouseholdFactory(given_name="秀英", family_name="王"))]

    content = route_sheet_pdf(round_for_manifest(_round(role_users, orders).pk))

    assert embedded_fonts(content) == {
        "/AAAAAA+DejaVuSans": True,
        "/AAAAAA+DejaVuSans-Bold": True,
        "/AAAAAA+DejaVuSans-Oblique": True,
        "/AAAAAA+WenQuanYiMicroHei-0": True,
    }


def test_every_letter_of_the_names_has_a_glyph_in_the_font_it_is_drawn_in():
    for given, family in NAMES_IN_EVERY_SCRIPT.values():
        assert glyphless(f"{given} {family}", FONT_BOLD) == set(), family
    assert font_runs("Бойко Ștefănescu 王秀英", FONT_BOLD) == [(FONT_BOLD, "Бойко Ștefănescu "), (FONT_HAN, "王秀英")]
    assert font_runs("Ο Jürgen", FONT) == [(FONT, "Ο Jürgen")]


def test_a_character_no_font_has_is_reported_as_glyphless():
    assert glyphless("Ana 𓀀", FONT) == {"𓀀"}  # an Egyptian hieroglyph: neither DejaVu nor WenQuanYi has it


# Building blocks


def test_text_wraps_at_spaces_and_cuts_only_a_word_wider_than_the_cell():
    assert wrap_text("Calle de la Alfarería", "DejaVuSans", 10, 60) == ["Calle de la", "Alfarería"]
    assert wrap_text("ab\ncd", "DejaVuSans", 10, 60) == ["ab", "cd"]
    long_word = wrap_text("https://example.org/averyveryverylongpath", "DejaVuSans", 10, 60)
    assert "".join(long_word) == "https://example.org/averyveryverylongpath"
    assert len(long_word) > 1


def test_text_lines_leave_out_empty_parts():
    assert TextLines([("b", "Rosa"), ("", ""), ("i", None), ("", 0)]).parts == [
        ("DejaVuSans-Bold", "Rosa"),
        ("DejaVuSans", "0"),
    ]
