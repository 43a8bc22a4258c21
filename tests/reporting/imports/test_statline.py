"""sync_cbs against a stand-in for the CBS StatLine OData v3 feed: a thread serving recorded responses of the feed's
shape on 127.0.0.1 (nothing outside the machine is reachable, and a test should not depend on it anyway)."""

import json
import threading
import urllib.parse
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from reporting.models import Figure, FigureChange, FigureImport, FigureImportStatus

pytestmark = pytest.mark.django_db

# The table per municipality; its twin 84850NED counts per Veilig Thuis region (see the last test).
TABLE = "84851NED"


def feed(modified="2024-06-28T02:00:00", helmond_advice=415):
    """The recorded responses, by path: the table's info, its properties, the period code list and its data."""
    base = f"/ODataApi/odata/{TABLE}"
    data = [
        {"ID": 0, "WijkenEnBuurten": "GM0794    ", "Perioden": "2023HJ01", "GestarteAdviezen_1": helmond_advice,
         "OntvangenMeldingen_2": 340},
        {"ID": 1, "WijkenEnBuurten": "GM0772    ", "Perioden": "2023HJ01", "GestarteAdviezen_1": 1205,
         "OntvangenMeldingen_2": None},
        {"ID": 2, "WijkenEnBuurten": "GM0794    ", "Perioden": "2023HJ02", "GestarteAdviezen_1": 420,
         "OntvangenMeldingen_2": 355},
    ]
    return {
        f"{base}/TableInfos": {"value": [{"Identifier": TABLE, "Title": "Veilig Thuis; gemeenten",
                                          "Modified": modified}]},
        f"{base}/DataProperties": {"value": [
            {"odata.type": "Cbs.OData.GeoDimension", "Key": "WijkenEnBuurten", "Type": "GeoDimension"},
            {"odata.type": "Cbs.OData.TimeDimension", "Key": "Perioden", "Type": "TimeDimension"},
            {"odata.type": "Cbs.OData.Topic", "Key": "GestarteAdviezen_1", "Type": "Topic", "Unit": "aantal"},
            {"odata.type": "Cbs.OData.Topic", "Key": "OntvangenMeldingen_2", "Type": "Topic", "Unit": "aantal"},
        ]},
        f"{base}/Perioden": {"value": [
            {"Key": "2023HJ01", "Title": "2023 1e halfjaar", "Status": "Definitief"},
            {"Key": "2023HJ02", "Title": "2023 2e halfjaar*", "Status": "Voorlopig"},
        ]},
        # The forms of violence's code list, read when a table carries that dimension (see the tests at the end).
        f"{base}/Geweldsvormen": {"value": [
            {"Key": "T001157", "Title": "Totaal geweldsvormen"},
            {"Key": "A049301", "Title": "Kindermishandeling"},
            {"Key": "A049303", "Title": "Ouderenmishandeling"},
        ]},
        # Two pages: the first links to the second, as the feed does past its page size.
        f"{base}/TypedDataSet": {"value": data[:2], "odata.nextLink": "PAGE2"},
        f"{base}/TypedDataSet/page2": {"value": data[2:]},
    }


class StandIn:
    def __init__(self):
        self.responses, self.requests = feed(), []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parsed = urllib.parse.urlsplit(self.path)
                stand_in.requests.append(urllib.parse.unquote(self.path))
                path = parsed.path
                if path.endswith("/TypedDataSet") and "$skip=2" in parsed.query:
                    path += "/page2"
                body = stand_in.responses.get(path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                if body.get("odata.nextLink") == "PAGE2":
                    body = {**body, "odata.nextLink": f"{stand_in.url}/{TABLE}/TypedDataSet?$skip=2&"
                                                      + parsed.query}
                payload = json.dumps({"odata.metadata": "stand-in", **body}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/ODataApi/odata"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def data_requests(self):
        return [r for r in self.requests if "/TypedDataSet" in r]


@pytest.fixture
def statline(settings):
    stand_in = StandIn()
    stand_in.thread.start()
    settings.CBS_ODATA_BASE_URL = stand_in.url
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


def sync(*extra):
    call_command("sync_cbs", TABLE, "--region=zuidoost-brabant", "--user=vt", *extra)


def test_sync_cbs_imports_every_page_and_skips_an_unmodified_table(users, region, periods, indicators, statline,
                                                                    municipality):
    sync("--confirm")
    figure_import = FigureImport.objects.get()
    assert figure_import.status == FigureImportStatus.CONFIRMED and figure_import.source == "cbs_statline"
    # The filter asks for the region's municipalities only, keys padded to ten characters; both pages were read.
    first = statline.data_requests()[0]
    assert "WijkenEnBuurten eq 'GM0794    '" in first and "GM0363" not in first
    assert len(statline.data_requests()) == 2
    cbs = Figure.objects.filter(source="cbs_statline")
    assert cbs.count() == 6  # three rows of two measures; a missing value is stored as not available
    h2 = cbs.get(organisation=municipality("Helmond"), indicator=indicators["adviesvragen-vt"],
                 period__kind="half_year", period__number=2)
    assert (h2.value, h2.is_provisional) == (Decimal(420), True)
    assert cbs.get(organisation=municipality("Eindhoven"), indicator=indicators["meldingen-vt"]).status == (
        "not_available")
    # A second run while CBS reports the same Modified date downloads nothing.
    before = len(statline.requests)
    sync("--confirm")
    assert [r.rsplit("/", 1)[-1] for r in statline.requests[before:]] == ["TableInfos"]
    assert FigureImport.objects.count() == 1


def test_a_changed_value_arrives_as_an_update_with_history(users, region, periods, indicators, statline,
                                                          municipality):
    sync("--confirm")
    statline.responses = feed(modified="2024-12-20T02:00:00", helmond_advice=425)
    sync("--confirm")
    latest = FigureImport.objects.order_by("-pk").first()
    assert (latest.status, latest.created_count, latest.updated_count) == (FigureImportStatus.CONFIRMED, 0, 1)
    figure = Figure.objects.get(organisation=municipality("Helmond"), indicator=indicators["adviesvragen-vt"],
                                period__kind="half_year", period__number=1)
    assert figure.value == Decimal(425)
    assert list(FigureChange.objects.filter(figure=figure).order_by("pk").values_list("action", "new_value")) == [
        ("create", Decimal(415)), ("update", Decimal(425))]


def test_without_confirm_the_fetch_waits_as_a_preview(users, region, periods, indicators, statline):
    sync()
    assert FigureImport.objects.get().status == FigureImportStatus.PREVIEW and not Figure.objects.exists()


def test_the_fetch_button_is_for_the_project_leader_and_veilig_thuis(users, region, periods, indicators, statline):
    from django.urls import reverse

    from ...permissions import client_for

    url = reverse("reporting:statline_fetch")
    assert 'action="/cijfers/cbs-ophalen/"' in client_for(users["veilig_thuis"]).get(
        reverse("reporting:import_upload")).content.decode()
    assert client_for(users["helmond"]).post(url, {"table": TABLE, "region": region.pk}).status_code == 403
    response = client_for(users["project_leader"]).post(url, {"table": TABLE, "region": region.pk})
    figure_import = FigureImport.objects.get()
    assert response["Location"] == reverse("reporting:import_detail", args=[figure_import.pk])
    assert figure_import.status == FigureImportStatus.PREVIEW and figure_import.created_count == 6


def test_a_table_split_by_form_of_violence_brings_its_parts(users, region, periods, indicators, statline,
                                                            municipality):
    from reporting.models import FigureBreakdown

    responses = feed()
    base = f"/ODataApi/odata/{TABLE}"
    responses[f"{base}/DataProperties"]["value"].insert(
        0, {"odata.type": "Cbs.OData.Dimension", "Key": "Geweldsvormen", "Type": "Dimension"})
    rows = [
        {"ID": 0, "Geweldsvormen": "T001157", "WijkenEnBuurten": "GM0794    ", "Perioden": "2023HJ01",
         "GestarteAdviezen_1": 415, "OntvangenMeldingen_2": 340},
        {"ID": 1, "Geweldsvormen": "A049303", "WijkenEnBuurten": "GM0794    ", "Perioden": "2023HJ01",
         "GestarteAdviezen_1": 15, "OntvangenMeldingen_2": 10},
    ]
    responses[f"{base}/TypedDataSet"] = {"value": rows[:1], "odata.nextLink": "PAGE2"}
    responses[f"{base}/TypedDataSet/page2"] = {"value": rows[1:]}
    statline.responses = responses
    sync("--confirm")
    helmond = municipality("Helmond")
    assert Figure.objects.get(organisation=helmond, indicator=indicators["adviesvragen-vt"]).value == 415
    elder = FigureBreakdown.objects.get(organisation=helmond, indicator=indicators["meldingen-vt"])
    assert (elder.violence_form.name, elder.value, elder.source) == ("Ouderenmishandeling", 10, "cbs_statline")


def test_a_table_per_veilig_thuis_region_is_refused_in_dutch_and_imports_nothing(users, region, periods, indicators,
                                                                                 statline):
    from django.core.management.base import CommandError

    responses = feed()
    base = f"/ODataApi/odata/{TABLE}"
    properties = responses[f"{base}/DataProperties"]["value"]
    properties[0] = {"odata.type": "Cbs.OData.GeoDimension", "Key": "VeiligThuisRegio", "Type": "GeoDimension"}
    statline.responses = responses
    with pytest.raises(CommandError, match="Deze CBS-tabel heeft geen cijfers per gemeente."):
        sync("--confirm")
    assert not FigureImport.objects.exists() and not Figure.objects.exists()
    assert statline.data_requests() == []


def test_forms_of_violence_whose_keys_are_not_stored_are_matched_by_their_title(users, region, periods, indicators,
                                                                                statline, municipality):
    """The portal's keys of the forms of violence are placeholders until CBS's own are known: a table with other keys
    still brings its parts, by the titles of its code list, and a form the portal does not know is listed by name."""
    from reporting.imports import services as imports_services
    from reporting.models import FigureBreakdown, ImportRow

    from ...permissions import client_for

    responses = feed()
    base = f"/ODataApi/odata/{TABLE}"
    responses[f"{base}/DataProperties"]["value"].insert(
        0, {"odata.type": "Cbs.OData.Dimension", "Key": "AardGeweld", "Title": "Aard geweld", "Type": "Dimension"})
    responses[f"{base}/AardGeweld"] = {"value": [
        {"Key": "T001021", "Title": "Totaal aard geweld", "Description": None},
        {"Key": "2012550", "Title": "Kindermishandeling", "Description": None},
        {"Key": "2012560", "Title": "Ouderenmishandeling", "Description": None},
        {"Key": "2012590", "Title": "Digitaal geweld", "Description": None},
    ]}
    rows = [
        {"ID": 0, "AardGeweld": "T001021", "WijkenEnBuurten": "GM0794    ", "Perioden": "2023HJ01",
         "GestarteAdviezen_1": 415, "OntvangenMeldingen_2": 340},
        {"ID": 1, "AardGeweld": "2012550", "WijkenEnBuurten": "GM0794    ", "Perioden": "2023HJ01",
         "GestarteAdviezen_1": 300, "OntvangenMeldingen_2": 200},
        {"ID": 2, "AardGeweld": "2012560", "WijkenEnBuurten": "GM0794    ", "Perioden": "2023HJ01",
         "GestarteAdviezen_1": 15, "OntvangenMeldingen_2": 10},
        {"ID": 3, "AardGeweld": "2012590", "WijkenEnBuurten": "GM0794    ", "Perioden": "2023HJ01",
         "GestarteAdviezen_1": 5, "OntvangenMeldingen_2": None},
    ]
    responses[f"{base}/TypedDataSet"] = {"value": rows[:2], "odata.nextLink": "PAGE2"}
    responses[f"{base}/TypedDataSet/page2"] = {"value": rows[2:]}
    statline.responses = responses
    sync()
    figure_import = FigureImport.objects.get()
    assert f"/ODataApi/odata/{TABLE}/AardGeweld" in statline.requests
    # Totals and two parts for each measure; the unknown form's two cells are refused and named, not coded.
    assert (figure_import.created_count, figure_import.rejected_count) == (6, 2)
    assert set(ImportRow.objects.filter(figure_import=figure_import, action="rejected").values_list(
        "reason", flat=True)) == {"Onbekende vorm van geweld: Digitaal geweld."}
    vt = users["veilig_thuis"]
    page = client_for(vt).get(reverse_detail(figure_import, show="rejected")).content.decode()
    assert "Onbekende vorm van geweld: Digitaal geweld." in page and "2012590" not in page
    imports_services.figure_import_confirm(figure_import=figure_import, acting_user=vt, leave_rejected=True)
    helmond = municipality("Helmond")
    assert Figure.objects.get(organisation=helmond, indicator=indicators["adviesvragen-vt"]).value == 415
    assert dict(FigureBreakdown.objects.filter(organisation=helmond, indicator=indicators["adviesvragen-vt"])
                .values_list("violence_form__name", "value")) == {"Kindermishandeling": 300,
                                                                   "Ouderenmishandeling": 15}


def test_a_stored_key_of_a_form_of_violence_is_passed_on_as_the_key(users, region, periods, indicators, statline):
    """Where the portal holds the table's key, the key goes through (a renamed title in a new release changes
    nothing); the other forms go by title."""
    from programme.models import ViolenceForm
    from reporting.imports.statline import _form_cells

    ViolenceForm.objects.filter(name="Kindermishandeling").update(cbs_key="2012550")
    statline.responses[f"/ODataApi/odata/{TABLE}/AardGeweld"] = {"value": [
        {"Key": "T001021", "Title": "Totaal aard geweld"},
        {"Key": "2012550  ", "Title": "Kindermishandeling (incl. getuige)"},
        {"Key": "2012560", "Title": "Ouderenmishandeling"},
    ]}
    assert _form_cells(TABLE, "AardGeweld") == {"T001021": "T001021", "2012550": "2012550",
                                                "2012560": "Ouderenmishandeling"}


def reverse_detail(figure_import, show):
    from django.urls import reverse

    return reverse("reporting:import_detail", args=[figure_import.pk]) + f"?show={show}"
