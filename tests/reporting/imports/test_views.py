"""Import pages: the four-case permission test for every page and action, and an import through the pages."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Organisation, ReportingPeriod
from reporting.models import Figure, FigureImport, ImportFormat, ImportRow

from ...permissions import assert_permissions, client_for
from ..conftest import LONG, run_import

pytestmark = pytest.mark.django_db


# The import page at any file size: session and user, the user's scope, the import, the entry rights behind the
# menu, one read of the page's rows, the preview's quality flags (their number and the first ones), the region's
# locked periods, and the session's save (three statements).
IMPORT_PAGE_QUERIES = 13

REGION_READERS = ("project_leader", "helmond", "eindhoven", "veilig_thuis", "steering_group", "admin")


@pytest.fixture
def an_import(users, region, periods, indicators):
    return run_import(users["veilig_thuis"], region,
                      "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;414\n", mapping=LONG)


def test_import_pages_permissions(users, region, an_import):
    detail = reverse("reporting:import_detail", args=[an_import.pk])
    assert_permissions(detail, allowed=[users[k] for k in REGION_READERS], expect=200,
                       outside=[users["other_region"],
                       users["national"]], no_role=users["no_role"])
    assert_permissions(reverse("reporting:import_list"), allowed=[users["helmond"], users["national"]], expect=200,
                       outside=[], no_role=users["no_role"])
    assert_permissions(reverse("reporting:import_upload"), allowed=[users["veilig_thuis"], users["project_leader"]],
                       expect=200, outside=[], denied=[users["steering_group"], users["national"]],
                       no_role=users["no_role"])
    # Undo, confirm, discard and mapping: the uploader or the project leader; others of the region get a 403.
    # Each action gets an import in the state it acts on, and the test checks that it really acted.
    content = "gemeente;periode;indicator;waarde\nHelmond;2023KW0{};adviesvragen-vt;500\n"
    previews = {name: run_import(users["veilig_thuis"], region, content.format(n), mapping=LONG, confirm=False)
                for n, name in enumerate(("import_confirm", "import_discard", "import_mapping"), start=2)}
    for name, figure_import, after in (("import_undo", an_import, "undone"),
                                       ("import_confirm", previews["import_confirm"], "confirmed"),
                                       ("import_discard", previews["import_discard"], "discarded")):
        assert_permissions(reverse(f"reporting:{name}", args=[figure_import.pk]), method="post",
                           allowed=[users["veilig_thuis"]], expect=302,
                           location=reverse("reporting:import_detail", args=[figure_import.pk]),
                           outside=[users["other_region"]],
                           denied=[users["helmond"], users["steering_group"]], no_role=users["no_role"])
        assert FigureImport.objects.get(pk=figure_import.pk).status == after, name
    assert_permissions(reverse("reporting:import_mapping", args=[previews["import_mapping"].pk]),
                       allowed=[users["veilig_thuis"], users["project_leader"]], expect=200,
                       outside=[users["other_region"]], denied=[users["helmond"]], no_role=users["no_role"])


def test_import_through_the_pages(users, region, periods, indicators):
    client = client_for(users["veilig_thuis"])
    upload = io.BytesIO(b"\xef\xbb\xbf\"RegioS\";\"Perioden\";\"Adviesvragen Veilig Thuis\"\r\n"
                        b"\"GM0794    \";\"2023KW01\";\"414\"\r\n")
    upload.name = "vt.csv"
    response = client.post(reverse("reporting:import_upload"),
                           {"file": upload, "region": region.pk, "source": "veilig_thuis"})
    figure_import = FigureImport.objects.get()
    assert response["Location"] == reverse("reporting:import_mapping", args=[figure_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert "RegioS" in page
    response = client.post(reverse("reporting:import_mapping", args=[figure_import.pk]), {
        "municipality": "RegioS", "period": "Perioden", "col_adviesvragen-vt": "Adviesvragen Veilig Thuis",
        "save_format_as": "Veilig Thuis kwartaal"})
    assert response.status_code == 302
    page = client.get(reverse("reporting:import_detail", args=[figure_import.pk])).content.decode()
    assert "Bevestigen: 1 nieuwe en 0 gewijzigde cijfers" in page and "Helmond" in page
    client.post(reverse("reporting:import_confirm", args=[figure_import.pk]))
    assert Figure.objects.get().value == 414
    # The saved format maps the next file straight to a preview.
    upload.seek(0)
    response = client.post(reverse("reporting:import_upload"), {
        "file": upload, "region": region.pk, "source": "veilig_thuis",
        "import_format": ImportFormat.objects.get(name="Veilig Thuis kwartaal").pk})
    second = FigureImport.objects.order_by("-pk").first()
    assert response["Location"] == reverse("reporting:import_detail", args=[second.pk])
    assert second.unchanged_count == 1 and ImportRow.objects.filter(figure_import=second).count() == 1


def _file_of(region, rows: int) -> str:
    """A long-format file of `rows` new figures of the region's municipalities, two indicators and the quarters."""
    municipalities = list(Organisation.objects.filter(region=region, kind="municipality").order_by("cbs_code"))
    quarters = list(ReportingPeriod.objects.filter(kind="quarter").order_by("start_date"))
    lines = ["gemeente;periode;indicator;waarde"]
    for municipality in municipalities:
        for quarter in quarters:
            for indicator in ("adviesvragen-vt", "meldingen-vt"):
                lines.append(f"{municipality.cbs_code};{quarter.code};{indicator};{5000 + len(lines)}")
    assert len(lines) > rows, "the region has too few municipalities and quarters for this file"
    return "\n".join(lines[:rows + 1]) + "\n"


def _import_page_queries(client, figure_import, query=""):
    url = reverse("reporting:import_detail", args=[figure_import.pk]) + query
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    rows_queries = [q["sql"] for q in captured if f'FROM "{ImportRow._meta.db_table}"' in q["sql"]]
    return len(captured), rows_queries, response.content.decode()


def test_import_page_reads_its_rows_once_whatever_the_size_of_the_file(users, region, periods, indicators):
    client = client_for(users["veilig_thuis"])
    small = run_import(users["veilig_thuis"], region, _file_of(region, 3), mapping=LONG, confirm=False)
    large = run_import(users["veilig_thuis"], region, _file_of(region, 250), file_name="groot.csv", mapping=LONG,
                       confirm=False)
    assert (small.created_count, large.created_count) == (3, 250)
    counts = set()
    for figure_import, query in ((small, ""), (large, ""), (large, "?show=create&page=3")):
        count, rows_queries, page = _import_page_queries(client, figure_import, query)
        counts.add(count)
        # One query reads the staging rows: no COUNT beside it (the import knows its counts), and no second read.
        assert len(rows_queries) == 1 and "COUNT(" not in rows_queries[0].upper(), rows_queries
    assert counts == {IMPORT_PAGE_QUERIES}
    # The large file's pages: 100 rows each in file order, the count from the import.
    _count, _rows, page = _import_page_queries(client, large, "?show=create&page=3")
    assert "Pagina 3 van 3" in page
    assert '<td class="num">202</td>' in page and '<td class="num">251</td>' in page  # lines 202 up to 251
    assert '<td class="num">201</td>' not in page


def test_import_page_of_a_discarded_import_shows_its_counts_but_no_pages(users, region, periods, indicators):
    client = client_for(users["veilig_thuis"])
    figure_import = run_import(users["veilig_thuis"], region, _file_of(region, 250), mapping=LONG, confirm=False)
    client.post(reverse("reporting:import_discard", args=[figure_import.pk]))
    _count, _rows, page = _import_page_queries(client, figure_import, "?show=create")
    assert "Nieuw: 250" in page and "Geen regels." in page and "Pagina 1 van" not in page
