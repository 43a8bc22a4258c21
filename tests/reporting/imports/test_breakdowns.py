"""CBS files split by form of violence: the breakdown column mapped by itself, parts staged beside totals, the
total checked against the sum of its parts in the preview, confirm and undo with history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Indicator, ViolenceForm
from reporting.imports import services as imports_services
from reporting.imports.breakdowns import total_check
from reporting.imports.parsing import guess_mapping
from reporting.models import Figure, FigureBreakdown, FigureChange, FigureImportStatus, ImportRow

from ...permissions import client_for
from ..conftest import run_import

pytestmark = pytest.mark.django_db

# As CBS exports 84850NED with the forms of violence: the dimension column and its keys; T001157 the total.
BREAKDOWN_FILE = (
    "\ufeff"
    '"ID";"Geweldsvormen";"WijkenEnBuurten";"Perioden";"Gestarte adviezen (aantal)"\r\n'
    '1;"T001157";"GM0794    ";"2023HJ01";"415"\r\n'
    '2;"A049301";"GM0794    ";"2023HJ01";"300"\r\n'
    '3;"A049302";"GM0794    ";"2023HJ01";"105"\r\n'
    '4;"A049303";"GM0794    ";"2023HJ01";"5"\r\n'
    '5;"A049301";"GM0363    ";"2023HJ01";"900"\r\n'  # Amsterdam: outside the region, counted, never blocks
    '6;"T001157";"GM0772    ";"2023HJ01";"1205"\r\n'
    '7;"A049301";"GM0772    ";"2023HJ01";"1205"\r\n'
)


def forms_by_key():
    return dict(ViolenceForm.objects.values_list("cbs_key", "name"))


def test_the_breakdown_column_is_mapped_by_itself(users, region, periods, indicators):
    mapping = guess_mapping(['"ID"', "ID", "Geweldsvormen", "WijkenEnBuurten", "Perioden",
                             "Gestarte adviezen (aantal)"], {"adviesvragen-vt": "Adviesvragen Veilig Thuis"},
                            {"adviesvragen-vt": "GestarteAdviezen"})
    assert mapping["breakdown"] == "Geweldsvormen"
    assert mapping["columns"] == {"adviesvragen-vt": "Gestarte adviezen (aantal)"}


def test_parts_and_totals_are_staged_checked_confirmed_and_undone(users, region, periods, indicators,
                                                                  municipality):
    vt = users["veilig_thuis"]
    figure_import = run_import(vt, region, BREAKDOWN_FILE, confirm=False)
    assert (figure_import.created_count, figure_import.outside_count, figure_import.rejected_count) == (6, 1, 0)
    parts = ImportRow.objects.filter(figure_import=figure_import, violence_form__isnull=False, action="create")
    assert parts.count() == 4
    client = client_for(vt)
    detail = reverse("reporting:import_detail", args=[figure_import.pk])
    page = client.get(detail).content.decode()
    # The preview names the form of violence of each part, and the total that differs from its parts.
    assert "Adviesvragen Veilig Thuis: Kindermishandeling" in page
    assert "Ouderenmishandeling" in page
    assert 'data-check="Helmond"' in page and ">415<" in page and ">410<" in page
    assert 'data-check="Eindhoven"' not in page  # 1205 = 1205
    imports_services.figure_import_confirm(figure_import=figure_import, acting_user=vt)
    helmond = municipality("Helmond")
    assert Figure.objects.get(organisation=helmond).value == 415
    assert dict(FigureBreakdown.objects.filter(organisation=helmond).values_list(
        "violence_form__cbs_key", "value")) == {"A049301": 300, "A049302": 105, "A049303": 5}
    assert FigureChange.objects.filter(figure_import=figure_import, violence_form__isnull=False).count() == 4
    history = client.get(reverse("reporting:figure_history", args=[region.pk])).content.decode()
    assert "Adviesvragen Veilig Thuis: (Ex-)partnergeweld" in history

    # The same file with one part changed: one update, the rest unchanged.
    changed = BREAKDOWN_FILE.replace('"A049302";"GM0794    ";"2023HJ01";"105"',
                                     '"A049302";"GM0794    ";"2023HJ01";"110"')
    second = run_import(vt, region, changed, confirm=False)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 1, 5)
    imports_services.figure_import_confirm(figure_import=second, acting_user=vt)
    assert FigureBreakdown.objects.get(violence_form__cbs_key="A049302").value == 110

    # The first import cannot be undone over the second one's change; undoing the second restores 105.
    with pytest.raises(ValidationError, match="gewijzigd"):
        imports_services.figure_import_undo(figure_import=figure_import, acting_user=vt)
    imports_services.figure_import_undo(figure_import=second, acting_user=vt)
    part = FigureBreakdown.objects.get(violence_form__cbs_key="A049302")
    assert (part.value, part.version) == (105, 3)
    assert FigureChange.objects.filter(figure_import=second, is_undo=True, violence_form__cbs_key="A049302",
                                       new_value=105, old_value=110).count() == 1


def test_undo_removes_the_parts_it_added_with_history(users, region, periods, indicators):
    vt = users["veilig_thuis"]
    figure_import = run_import(vt, region, BREAKDOWN_FILE)
    assert FigureBreakdown.objects.count() == 4
    imports_services.figure_import_undo(figure_import=figure_import, acting_user=vt)
    assert not FigureBreakdown.objects.exists() and not Figure.objects.exists()
    undo = FigureChange.objects.filter(figure_import=figure_import, is_undo=True)
    assert undo.filter(violence_form__isnull=False, action="delete").count() == 4
    assert undo.filter(violence_form__isnull=True, action="delete").count() == 2


def test_an_unknown_form_is_rejected_with_a_reason(users, region, periods, indicators):
    content = BREAKDOWN_FILE.replace('2;"A049301"', '2;"A999999"')
    figure_import = run_import(users["veilig_thuis"], region, content, confirm=False)
    row = ImportRow.objects.get(figure_import=figure_import, action="rejected")
    assert row.reason == "Onbekende vorm van geweld: A999999."
    assert figure_import.rejected_count == 1


def test_a_part_changed_after_the_preview_stops_the_import(users, region, periods, indicators, municipality):
    vt = users["veilig_thuis"]
    run_import(vt, region, BREAKDOWN_FILE)
    changed = BREAKDOWN_FILE.replace('"A049301";"GM0794    ";"2023HJ01";"300"',
                                     '"A049301";"GM0794    ";"2023HJ01";"305"')
    second = run_import(vt, region, changed, confirm=False)
    FigureBreakdown.objects.filter(violence_form__cbs_key="A049301", organisation=municipality("Helmond")).update(
        value=Decimal(301), version=2)
    with pytest.raises(imports_services.ImportConflict):
        imports_services.figure_import_confirm(figure_import=second, acting_user=vt)
    second.refresh_from_db()
    assert second.status == FigureImportStatus.PREVIEW
    assert FigureBreakdown.objects.get(violence_form__cbs_key="A049301", organisation=municipality("Helmond")
                                       ).value == 301


def test_the_import_benchmark_runs_with_breakdowns(reference_data):
    import io

    from django.core.management import call_command

    from ..test_benchmarks import PRODUCTION_LIKE

    out = io.StringIO()
    with PRODUCTION_LIKE:
        call_command("benchmark_import", municipalities=2, indicators=2, quarters=2, breakdown_forms=2,
                     current_settings=True, stdout=out)
    output = out.getvalue()
    assert "24 rows per file" in output  # 2 x 2 x 2 totals, each with 2 parts
    assert "Statuses checked: 22 responses, each the expected one" in output
    assert not FigureBreakdown.objects.exists() and not ViolenceForm.objects.filter(name__startswith="Benchmark")


def test_the_total_check_is_kept_by_the_preview_and_read_from_the_import(users, region, periods, indicators):
    vt = users["veilig_thuis"]
    figure_import = run_import(vt, region, BREAKDOWN_FILE, confirm=False)
    assert figure_import.total_checks["count"] == 1  # Helmond: 415 against 410
    client = client_for(vt)
    detail = reverse("reporting:import_detail", args=[figure_import.pk])
    for step in ("preview", "confirmed"):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(detail).content.decode()
        # One read of the staging table, the page of rows: the check of the totals is the import's own.
        staged = [q["sql"] for q in captured if f'FROM "{ImportRow._meta.db_table}"' in q["sql"]]
        assert len(staged) == 1, (step, staged)
        assert 'data-check="Helmond"' in page and ">415<" in page and ">410<" in page, step
        if step == "preview":
            imports_services.figure_import_confirm(figure_import=figure_import, acting_user=vt)


def test_a_total_refused_by_a_rule_is_not_checked_and_a_discarded_import_keeps_no_check(users, region, periods,
                                                                                       indicators):
    vt = users["veilig_thuis"]
    Indicator.objects.filter(code="adviesvragen-vt").update(maximum=1000)
    figure_import = run_import(vt, region, BREAKDOWN_FILE, confirm=False)
    # Eindhoven's total (1205) breaks the maximum and is refused; Helmond's (415) is still compared with its parts.
    assert figure_import.rejected_count == 1
    assert figure_import.total_checks["count"] == 1
    assert [check["organisation__name"] for check in total_check(figure_import)[0]] == ["Helmond"]
    Indicator.objects.filter(code="adviesvragen-vt").update(maximum=400)
    second = run_import(vt, region, BREAKDOWN_FILE, confirm=False)
    assert second.rejected_count == 2 and total_check(second) == ([], 0)
    imports_services.figure_import_discard(figure_import=figure_import, acting_user=vt)
    figure_import.refresh_from_db()
    assert figure_import.total_checks == {} and total_check(figure_import) == ([], 0)
