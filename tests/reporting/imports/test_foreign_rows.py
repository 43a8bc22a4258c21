"""Imports as a Veilig Thuis employee meets them: CBS files with the whole country, a bad row among good
ones, periods that do not exist yet, empty files, and a second look before undo and discard."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from programme.models import ReportingPeriod
from reporting.imports import services as imports_services
from reporting.imports import staging
from reporting.models import Figure, FigureImport, FigureImportStatus, ImportRow

from ...permissions import client_for
from ..conftest import LONG, run_import

pytestmark = pytest.mark.django_db


COUNTRY_FILE = (
    "\ufeff"
    '"ID";"RegioS";"Perioden";"Adviesvragen Veilig Thuis"\r\n'
    '1;"GM0794    ";"2023HJ01";"415"\r\n'
    '2;"GM0363    ";"2023HJ01";"9000"\r\n'  # Amsterdam: a municipality, of another region
    '3;"PV30      ";"2023HJ01";"20000"\r\n'  # a province
    '4;"NL01      ";"2023HJ01";"60000"\r\n'  # the country
    '5;"GM0772    ";"2023HJ01";"610"\r\n'
)


def test_rows_of_the_rest_of_the_country_are_counted_and_never_block(users, region, periods, indicators):
    figure_import = run_import(users["veilig_thuis"], region, COUNTRY_FILE, confirm=False)
    assert (figure_import.created_count, figure_import.outside_count, figure_import.not_municipality_count,
            figure_import.rejected_count) == (2, 1, 2, 0)
    amsterdam = ImportRow.objects.get(figure_import=figure_import, line=3)
    assert (amsterdam.action, amsterdam.reason) == ("outside", "Gemeente GM0363 ligt buiten regio Zuidoost-Brabant.")
    imports_services.figure_import_confirm(figure_import=figure_import, acting_user=users["veilig_thuis"])
    assert Figure.objects.count() == 2


BAD_ROW = ("gemeente;periode;indicator;waarde\n"
           "Helmond;2023KW01;adviesvragen-vt;414\n"
           "Eindhoven;2023KW01;adviesvragen-vt;veel\n"
           "Asten;2023KW01;meldingen-vt;30\n")


def test_a_bad_row_imports_the_rest_only_when_the_user_chooses_so(users, region, periods, indicators):
    vt = users["veilig_thuis"]
    figure_import = run_import(vt, region, BAD_ROW, mapping=LONG, confirm=False)
    client = client_for(vt)
    detail = reverse("reporting:import_detail", args=[figure_import.pk])
    page = client.get(detail).content.decode()
    assert "Geldige regels importeren (2 nieuwe en 0 gewijzigde cijfers) en 1 regel weglaten" in page
    # The refused row names the municipality and the indicator, not their codes.
    assert "<td>Eindhoven</td>" in page and "Adviesvragen Veilig Thuis" in page and "adviesvragen-vt" not in page
    confirm = reverse("reporting:import_confirm", args=[figure_import.pk])
    client.post(confirm)  # without the choice: nothing
    assert Figure.objects.count() == 0
    assert FigureImport.objects.get(pk=figure_import.pk).status == FigureImportStatus.PREVIEW
    client.post(confirm, {"leave_rejected": "1"})
    assert sorted(Figure.objects.values_list("value", flat=True)) == [Decimal(30), Decimal(414)]


def test_a_missing_half_year_is_added_with_a_line_in_the_preview(users, region, periods, indicators):
    ReportingPeriod.objects.filter(kind="half_year", year=2023, number=2).delete()
    content = "gemeente;periode;indicator;waarde\nHelmond;2023HJ02*;adviesvragen-vt;415\n"
    figure_import = run_import(users["veilig_thuis"], region, content, mapping=LONG, confirm=False)
    assert figure_import.created_count == 1
    period = ReportingPeriod.objects.get(kind="half_year", year=2023, number=2)
    assert period.deadline is not None
    page = client_for(users["veilig_thuis"]).get(
        reverse("reporting:import_detail", args=[figure_import.pk])).content.decode()
    assert "De periode HJ2 2023 (2023HJ02) bestond nog niet en is aan de kalender toegevoegd." in page


def test_periods_added_in_the_middle_of_a_long_file_keep_every_row(users, region, periods, indicators, monkeypatch):
    """Staged rows stream into the database in pieces; a period to add halfway ends a piece, and the file goes on."""
    monkeypatch.setattr(staging, "COPY_CHUNK", 7)
    ReportingPeriod.objects.filter(kind="half_year", year=2023).delete()
    ReportingPeriod.objects.filter(kind="year", year=2023).delete()
    municipalities = ["Helmond", "Eindhoven", "Asten", "Deurne", "Geldrop-Mierlo"]
    lines = [f"{name};{code};adviesvragen-vt;{n}" for n, (code, name) in enumerate(
        (code, name) for code in ["2023KW01", "2023HJ01", "2023KW02", "2023HJ02", "2023JJ00"] * 3
        for name in municipalities)]
    lines[40] = "Helmond;2023HJ01;adviesvragen-vt;veel"  # a bad value among them: rejected with its reason
    content = "gemeente;periode;indicator;waarde\n" + "\n".join(lines) + "\n"
    figure_import = run_import(users["veilig_thuis"], region, content, mapping=LONG, confirm=False)
    # Each municipality's period appears three times: the first is created, the second and third are duplicates.
    assert (figure_import.created_count, figure_import.rejected_count) == (25, 50)
    rows = ImportRow.objects.filter(figure_import=figure_import).order_by("line")
    assert [row.line for row in rows] == list(range(2, 77))
    added = {p.code: p.pk for p in ReportingPeriod.objects.filter(year=2023, kind__in=["half_year", "year"])}
    assert sorted(added) == ["2023HJ01", "2023HJ02", "2023JJ00"]
    for row in rows:
        assert row.period_text in added or row.period_text.startswith("2023KW")
        if row.period_text in added:
            assert row.period_id == added[row.period_text]
    assert rows.get(line=42).reason == "'veel' is geen getal."
    assert len(figure_import.notices) == 3 + 2  # three periods added; a line on the half-year and the year values


def test_a_period_far_outside_the_calendar_is_not_added(users, region, periods, indicators):
    content = "gemeente;periode;indicator;waarde\nHelmond;2203KW01;adviesvragen-vt;415\n"
    figure_import = run_import(users["veilig_thuis"], region, content, mapping=LONG, confirm=False)
    assert figure_import.rejected_count == 1 and not ReportingPeriod.objects.filter(year=2203).exists()


def test_a_half_year_value_of_a_quarterly_indicator_gets_a_warning(users, region, periods, indicators):
    content = "gemeente;periode;indicator;waarde\nHelmond;2023HJ01;adviesvragen-vt;415\n"
    figure_import = run_import(users["veilig_thuis"], region, content, mapping=LONG, confirm=False)
    assert figure_import.notices == [
        "1 waarde van 'Adviesvragen Veilig Thuis' hoort bij een halfjaar, terwijl deze indicator per kwartaal "
        "wordt geteld."]


def test_a_file_that_changes_nothing_offers_no_confirm_button(users, region, periods, indicators):
    content = "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;414\n"
    run_import(users["veilig_thuis"], region, content, mapping=LONG)
    again = run_import(users["veilig_thuis"], region, content, mapping=LONG, confirm=False)
    page = client_for(users["veilig_thuis"]).get(reverse("reporting:import_detail", args=[again.pk])).content.decode()
    assert "Dit bestand verandert geen enkel cijfer" in page and "Bevestigen:" not in page
    response = client_for(users["veilig_thuis"]).post(reverse("reporting:import_confirm", args=[again.pk]))
    assert response.status_code == 302 and FigureImport.objects.get(pk=again.pk).status == FigureImportStatus.PREVIEW


def test_undo_and_discard_show_what_they_remove_and_ask_first(users, region, periods, indicators):
    vt = users["veilig_thuis"]
    client = client_for(vt)
    done = run_import(vt, region, BAD_ROW.replace("veel", "900"), mapping=LONG)
    undo = reverse("reporting:import_undo", args=[done.pk])
    page = client.get(undo).content.decode()
    assert "3 cijfers die deze import toevoegde worden verwijderd" in page
    assert FigureImport.objects.get(pk=done.pk).status == FigureImportStatus.CONFIRMED and Figure.objects.count() == 3
    client.post(undo)
    assert FigureImport.objects.get(pk=done.pk).status == FigureImportStatus.UNDONE and Figure.objects.count() == 0
    waiting = run_import(vt, region, BAD_ROW, mapping=LONG, confirm=False)
    discard = reverse("reporting:import_discard", args=[waiting.pk])
    assert "Ja, verwerpen" in client.get(discard).content.decode()
    assert FigureImport.objects.get(pk=waiting.pk).status == FigureImportStatus.PREVIEW
    client.post(discard)
    assert FigureImport.objects.get(pk=waiting.pk).status == FigureImportStatus.DISCARDED


def test_an_unmapped_upload_belongs_to_its_uploader_and_can_be_discarded(users, region, periods, indicators):
    """An unmapped upload gave other users of the region a 403 and could not be discarded."""
    vt = users["veilig_thuis"]
    unmapped = imports_services.figure_import_upload(acting_user=vt, region=region, file_name="x.csv",
                                                     content=b"a;b\n1;2\n", source="veilig_thuis")
    detail = reverse("reporting:import_detail", args=[unmapped.pk])
    response = client_for(users["helmond"]).get(detail)
    assert response.status_code == 200 and "nog niet gekoppeld" in response.content.decode()
    mapping_page = client_for(vt).get(reverse("reporting:import_mapping", args=[unmapped.pk])).content.decode()
    discard = reverse("reporting:import_discard", args=[unmapped.pk])
    assert discard in mapping_page
    assert client_for(users["helmond"]).post(discard).status_code == 403
    client_for(vt).post(discard)
    assert FigureImport.objects.get(pk=unmapped.pk).status == FigureImportStatus.DISCARDED


FEED_SHAPED = (
    '"ID";"WijkenEnBuurten";"Perioden";"GestarteAdviezen_1";"OntvangenMeldingen_2"\r\n'
    '1;"GM0794    ";"2023HJ01";"415";"340"\r\n'
    '2;"GM0363    ";"2023HJ01";"9000";"7000"\r\n'
    '3;"NL01      ";"2023HJ01";"60000";"50000"\r\n'
)


def test_a_cbs_file_is_recognised_and_every_column_mapped(users, region, periods, indicators):
    from reporting.imports.parsing import guess_mapping

    headers = ["ID", "WijkenEnBuurten", "Perioden", "GestarteAdviezen_1", "OntvangenMeldingen_2"]
    keys = {"adviesvragen-vt": "GestarteAdviezen", "meldingen-vt": "OntvangenMeldingen"}
    mapping = guess_mapping(headers, {"adviesvragen-vt": "Adviesvragen Veilig Thuis"}, keys)
    assert (mapping["municipality"], mapping["period"], mapping["columns"]) == (
        "WijkenEnBuurten", "Perioden",
        {"adviesvragen-vt": "GestarteAdviezen_1", "meldingen-vt": "OntvangenMeldingen_2"})
    client = client_for(users["veilig_thuis"])
    upload = io.BytesIO(("\ufeff" + FEED_SHAPED).encode())
    upload.name = "84850NED.csv"
    response = client.post(reverse("reporting:import_upload"),
                           {"file": upload, "region": region.pk, "source": "veilig_thuis"})
    page = client.get(response["Location"]).content.decode()
    assert "Herkend als CBS StatLine-bestand" in page
    assert page.count("<td>GM0794</td>") == 1  # the sample rows, keys as CBS pads them, trimmed by the parser
    assert '<option value="GestarteAdviezen_1" selected>' in page
    assert '<option value="WijkenEnBuurten" selected>' in page
    figure_import = FigureImport.objects.get()
    assert figure_import.source == "cbs_statline"
    client.post(response["Location"], {"municipality": "WijkenEnBuurten", "period": "Perioden",
                                       "col_adviesvragen-vt": "GestarteAdviezen_1",
                                       "col_meldingen-vt": "OntvangenMeldingen_2"})
    figure_import.refresh_from_db()
    assert (figure_import.created_count, figure_import.outside_count, figure_import.not_municipality_count) == (
        2, 2, 2)


# As StatLine's website downloads 84851NED "with labels": titles instead of keys, every kind of region by name, the
# provisional half year marked with '*', '.' for a figure CBS does not publish.
LABELLED = (
    "\ufeff"
    '"Aard geweld";"Regio\'s";"Perioden";"Gestarte adviezen (aantal)";"Ontvangen meldingen (aantal)"\r\n'
    '"Totaal aard geweld";"Nederland";"2023 1e halfjaar";"60000";"50000"\r\n'
    '"Totaal aard geweld";"Zuid-Nederland (LD)";"2023 1e halfjaar";"15000";"12000"\r\n'
    '"Totaal aard geweld";"Noord-Brabant (PV)";"2023 1e halfjaar";"8000";"6000"\r\n'
    '"Totaal aard geweld";"Brabant-Zuidoost (VT)";"2023 1e halfjaar";"1700";"1300"\r\n'
    '"Totaal aard geweld";"Helmond";"2023 1e halfjaar";"415";"340"\r\n'
    '"Kindermishandeling";"Helmond";"2023 1e halfjaar";"300";"."\r\n'
    '"Ouderenmishandeling";"Helmond";"2023 1e halfjaar";"15";"10"\r\n'
    '"Totaal aard geweld";"Eindhoven";"2023 2e halfjaar*";"1205";"."\r\n'
    '"Totaal aard geweld";"Amsterdam";"2023 1e halfjaar";"9000";"7000"\r\n'
)


def test_the_labelled_cbs_csv_is_mapped_by_itself_and_imports_the_regions_rows(users, region, periods, indicators,
                                                                               municipality):
    from reporting.models import FigureBreakdown

    vt = users["veilig_thuis"]
    client = client_for(vt)
    upload = io.BytesIO(LABELLED.encode())
    upload.name = "Veilig_Thuis__gemeenten_28062024.csv"
    response = client.post(reverse("reporting:import_upload"),
                           {"file": upload, "region": region.pk, "source": "veilig_thuis"})
    mapping_page = client.get(response["Location"])
    page = mapping_page.content.decode()
    assert "Herkend als CBS StatLine-bestand" in page and "<td>Brabant-Zuidoost (VT)</td>" in page
    for column in ("Regio&#x27;s", "Perioden", "Aard geweld", "Gestarte adviezen (aantal)",
                   "Ontvangen meldingen (aantal)"):
        assert f'<option value="{column}" selected>' in page
    figure_import = FigureImport.objects.get()
    assert figure_import.source == "cbs_statline"
    # The user only confirms the mapping the page proposes.
    form = mapping_page.context["form"]
    proposed = {name: value for name, value in form.initial.items() if value}
    assert proposed == {"municipality": "Regio's", "period": "Perioden", "breakdown": "Aard geweld",
                        "col_adviesvragen-vt": "Gestarte adviezen (aantal)",
                        "col_meldingen-vt": "Ontvangen meldingen (aantal)"}
    client.post(response["Location"], proposed)
    figure_import.refresh_from_db()
    assert figure_import.status == FigureImportStatus.PREVIEW
    # Helmond's totals and two parts of each measure, Eindhoven's two totals; the country, its part, the province
    # and the Veilig Thuis region are no municipality; Amsterdam, by name and not in the portal, is unknown.
    assert (figure_import.created_count, figure_import.not_municipality_count, figure_import.outside_count,
            figure_import.rejected_count) == (8, 8, 0, 2)
    detail = reverse("reporting:import_detail", args=[figure_import.pk])
    others = client.get(detail + "?show=not_municipality").content.decode()
    assert "Noord-Brabant (PV) is een provincie, regio of het land, geen gemeente." in others
    assert "Brabant-Zuidoost (VT)" in others and "Onbekende gemeente" not in others
    rejected = client.get(detail + "?show=rejected").content.decode()
    assert "Onbekende gemeente: Amsterdam." in rejected
    client.post(reverse("reporting:import_confirm", args=[figure_import.pk]), {"leave_rejected": "1"})
    helmond, eindhoven = municipality("Helmond"), municipality("Eindhoven")
    advice = indicators["adviesvragen-vt"]
    assert Figure.objects.get(organisation=helmond, indicator=advice).value == 415
    eindhoven_reports = Figure.objects.get(organisation=eindhoven, indicator=indicators["meldingen-vt"])
    assert (eindhoven_reports.status, eindhoven_reports.is_provisional, eindhoven_reports.period.number) == (
        "not_available", True, 2)
    assert dict(FigureBreakdown.objects.filter(organisation=helmond, indicator=advice).values_list(
        "violence_form__name", "value")) == {"Kindermishandeling": 300, "Ouderenmishandeling": 15}
