"""Import pages: the four-case permission test for every page and action, and an import through the pages."""

import io

import pytest
from django.urls import reverse

from reporting.models import Figure, FigureImport, ImportFormat, ImportRow

from ...permissions import assert_permissions, client_for
from ..conftest import LONG, run_import

pytestmark = pytest.mark.django_db


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
