"""Excel in and out: the offline form round trip, a bad cell refusing the whole file, the region's export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.selfscans import excel

from ...permissions import client_for
from .conftest import fill

pytestmark = pytest.mark.django_db


def _form(user, scan) -> bytes:
    response = client_for(user).get(reverse("reporting:selfscan_form", args=[scan.pk]))
    assert response.status_code == 200
    return response.content


def _filled(content: bytes, scores: list, explanation="Offline ingevuld") -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[excel.SHEET]
    for offset, score in enumerate(scores):
        sheet.cell(row=excel.FIRST_ROW + offset, column=5, value=score)
        sheet.cell(row=excel.FIRST_ROW + offset, column=6, value=f"{explanation} {offset}")
    workbook["Algemeen"]["A2"] = "Goede samenwerking"
    workbook["Algemeen"]["A5"] = "Scholing taxatie-instrument"
    workbook["Algemeen"]["A6"] = "Vaste contactpersoon Veilig Thuis"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, scan, content, name="zelfscan.xlsx"):
    url = reverse("reporting:selfscan_upload", args=[scan.pk])
    return client.post(url, {"file": _file(content, name)})


def _file(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/vnd.openxmlformats-officedocument."
                                                           "spreadsheetml.sheet")


def test_round_trip_preview_then_confirm(users, draft):
    client = client_for(users["helmond"])
    content = _filled(_form(users["helmond"], draft), [1, "n.v.t.", 3, 4])
    response = _upload(client, draft, content)
    page = response.content.decode()
    assert response.status_code == 200 and "Offline ingevuld 0" in page
    assert sorted(filter(None, draft.answers.values_list("score", flat=True))) == []  # preview writes nothing
    payload = response.context["payload"]
    response = client.post(reverse("reporting:selfscan_upload", args=[draft.pk]), {"payload": payload})
    assert response.status_code == 302
    answers = {a.criterion.text: a for a in draft.answers.select_related("criterion")}
    assert answers["Veiligheid taxeren"].score == 1 and answers["Veiligheidsplan"].not_applicable
    last = answers["Regie op de aanpak"]
    assert last.score == 4 and last.explanation == "Offline ingevuld 3"
    draft.refresh_from_db()
    assert draft.strengths == "Goede samenwerking"
    assert sorted(draft.improvements.values_list("text", flat=True)) == [
        "Scholing taxatie-instrument", "Vaste contactpersoon Veilig Thuis"]
    # and out again: the filled form carries the saved answers
    workbook = load_workbook(io.BytesIO(_form(users["helmond"], draft)))
    assert workbook[excel.SHEET].cell(row=excel.FIRST_ROW, column=5).value == 1


def test_a_bad_cell_refuses_the_whole_file(users, draft):
    fill(draft, users["helmond"], [2, 2, 2, 2])
    content = _filled(_form(users["helmond"], draft), [1, 7, 3, "veel"])
    response = _upload(client_for(users["helmond"]), draft, content)
    page = response.content.decode()
    assert response.status_code == 200 and "payload" not in response.context
    assert "Rij 8" in page or "Row 8" in page
    assert "Rij 10" in page or "Row 10" in page
    assert sorted(draft.answers.values_list("score", flat=True)) == [2, 2, 2, 2]


def test_a_form_of_another_team_or_a_non_excel_file_is_refused(users, draft, framework, eindhoven):
    other = excel.scan_form_workbook(framework=framework, municipality=eindhoven)
    buffer = io.BytesIO()
    other.save(buffer)
    response = _upload(client_for(users["helmond"]), draft, buffer.getvalue())
    assert "payload" not in response.context and response.context["parsed"].errors
    response = _upload(client_for(users["helmond"]), draft, b"gemeente;score\n", name="x.xlsx")
    assert response.context["parsed"].errors


def test_formula_cells_are_neutralised_in_the_form(users, framework, draft):
    criterion = framework.criteria.first()
    criterion.text = "=HYPERLINK(\"x\")"
    criterion.save()
    workbook = load_workbook(io.BytesIO(_form(users["helmond"], draft)))
    texts = [workbook[excel.SHEET].cell(row=r, column=3).value for r in range(excel.FIRST_ROW, excel.FIRST_ROW + 4)]
    assert "'=HYPERLINK(\"x\")" in texts
