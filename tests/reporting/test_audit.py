"""The audit trail of figures and reports: imports, report transitions and exports, never their content."""

import json
import logging

import pytest
from django.db import transaction
from django.urls import reverse

from programme.models import ReportingPeriod
from reporting.imports import services
from reporting.reports import services as reports_services
from tests.permissions import client_for

from .conftest import LONG, run_import

pytestmark = pytest.mark.django_db

FILE = "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;41417\n"


def test_import_upload_confirm_and_undo_are_logged_without_the_figures(users, region, periods, indicators,
                                                                      audit_log):
    figure_import = run_import(users["veilig_thuis"], region, FILE, mapping=LONG)
    services.figure_import_undo(figure_import=figure_import, acting_user=users["veilig_thuis"])
    upload, = audit_log.events("import_upload")
    confirm, = audit_log.events("import_confirm")
    undo, = audit_log.events("import_undo")
    assert upload["username"] == confirm["username"] == undo["username"] == "vt"
    assert confirm["import_id"] == figure_import.pk and confirm["created"] == 1
    assert "41417" not in json.dumps(audit_log.entries)


def test_report_transitions_are_logged(users, draft, audit_log):
    reports_services.report_submit(report=draft, acting_user=users["project_leader"])
    reports_services.report_return(report=draft, acting_user=users["steering_group"], comment="Graag aanvullen.")
    moves = [(e["from_status"], e["to_status"], e["username"]) for e in audit_log.events("report_transition")]
    assert moves == [("draft", "submitted", "pl"), ("submitted", "returned", "sg")]
    assert "Graag aanvullen" not in json.dumps(audit_log.entries)


def test_exports_are_logged_with_their_filter_but_not_their_content(users, region, periods, indicators, audit_log):
    run_import(users["veilig_thuis"], region, FILE, mapping=LONG)
    client = client_for(users["project_leader"])
    response = client.get(reverse("measures:measure_export", args=["csv"]), {"q": "mda"})
    assert response.status_code == 200
    quarter = ReportingPeriod.objects.get(kind="quarter", year=2023, number=1)
    response = client.get(reverse("reporting:figure_export", args=[region.pk, "csv"]),
                          {"period": quarter.pk, "indicator": indicators["adviesvragen-vt"].pk})
    assert response.status_code == 200 and "41417" in response.content.decode()
    exports = audit_log.events("export")
    assert [e["path"] for e in exports] == [reverse("measures:measure_export", args=["csv"]),
                                          reverse("reporting:figure_export", args=[region.pk, "csv"])]
    assert exports[0]["query"] == "q=mda" and exports[0]["username"] == "pl"
    assert "41417" not in json.dumps(audit_log.entries)


@pytest.mark.django_db(transaction=True)
def test_an_action_that_is_rolled_back_leaves_no_audit_entry(users, region, periods, indicators):
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("ghnt.audit").addHandler(handler)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            run_import(users["veilig_thuis"], region, FILE, mapping=LONG)
            raise RuntimeError("the request failed after the import")
        assert records == []
        run_import(users["veilig_thuis"], region, FILE, mapping=LONG)
        assert [r.getMessage() for r in records] == ["import_upload", "import_confirm"]
    finally:
        logging.getLogger("ghnt.audit").removeHandler(handler)


def test_grid_edits_and_indicator_changes_are_audited_without_figures(users, audit_log, region, periods, indicators,
                                                                       municipality):
    from django.urls import reverse

    from programme.models import Indicator, ReportingPeriod

    period = ReportingPeriod.objects.get(kind="quarter", year=2023, number=1)
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    url = reverse("reporting:figure_grid", args=[region.pk]) + f"?period={period.pk}&source=veilig_thuis"
    cell = f"c-{helmond.pk}-{advice.pk}"
    assert client_for(users["veilig_thuis"]).post(url, {cell: "414", f"v-{cell}": "0"}).status_code == 302
    entry, = audit_log.events("figures_grid_saved")
    assert entry["username"] == "vt" and entry["changed"] == 1 and entry["cells"] == [f"{helmond.pk}-{advice.pk}"]
    assert "414" not in json.dumps(audit_log.entries)
    client = client_for(users["project_leader"])
    data = {"code": "mda-casussen", "name": "Casussen MDA++", "unit": "count", "periodicity": "quarter",
            "aggregation_over_organisations": "sum", "aggregation_over_time": "sum", "higher_is_better": "unknown",
            "supplier_kinds": ["municipality"], "suppress_small_numbers": "on"}
    assert client.post(reverse("reporting:indicator_create"), data).status_code == 302
    indicator = Indicator.objects.get(code="mda-casussen")
    assert client.post(reverse("reporting:indicator_update", args=[indicator.pk]),
                       {**data, "name": "Casussen", "version": indicator.version}).status_code == 302
    assert audit_log.events("indicator_created")[0]["indicator"] == "mda-casussen"
    assert audit_log.events("indicator_changed")[0]["fields"] == ["name"]

