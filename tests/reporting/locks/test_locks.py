"""Locked periods: approval locks, the grid, the import (preview, confirm, undo) and the CBS fetch refuse changes,
and the project leader unlocks with a reason that is kept and mailed to the steering group."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from programme.models import ReportingPeriod
from reporting.figures import services as figure_services
from reporting.figures.access import entry_rights
from reporting.imports import services as import_services
from reporting.locks import rules, services
from reporting.models import Figure, FigureImportStatus, PeriodLock
from reporting.reports import services as report_services

from ...permissions import assert_permissions, client_for
from ..conftest import LONG, run_import
from ..factories import period
from ..imports.test_statline import statline as statline  # noqa: F401 (a fixture, used by name)
from ..imports.test_statline import sync

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "zijn vergrendeld"


def q(year, number, kind="quarter"):
    return ReportingPeriod.objects.get(kind=kind, year=year, number=number)


def approve(users, programme, period_):
    report = report_services.report_create(programme=programme, period=period_, acting_user=users["project_leader"])
    report = report_services.report_submit(report=report, acting_user=users["project_leader"])
    return report_services.report_approve(report=report, acting_user=users["steering_group"])


def add(municipality, indicator, period_, value, source="veilig_thuis"):
    return Figure.objects.create(organisation=municipality, indicator=indicator, period=period_, source=source,
                                 status="value", value=Decimal(value))


def test_approving_a_report_locks_its_period_and_the_shorter_periods_inside(users, programme, region):
    report = approve(users, programme, q(2024, 1, "half_year"))
    lock = PeriodLock.objects.get()
    assert (lock.region, lock.period, lock.report, lock.locked_by, lock.is_active) == (
        region, q(2024, 1, "half_year"), report, users["steering_group"], True)
    locked = rules.locked_periods(region.pk)
    # H1 and its two quarters are locked; Q3, H2 and the year 2024 (not approved as a whole) are not.
    assert set(locked) == {q(2024, 1, "half_year").pk, q(2024, 1).pk, q(2024, 2).pk}
    assert "goedgekeurd" in locked[q(2024, 1).pk]


def test_an_approved_quarter_does_not_lock_the_half_year_or_year_around_it(users, programme, region):
    approve(users, programme, q(2024, 1))
    assert set(rules.locked_periods(region.pk)) == {q(2024, 1).pk}
    assert rules.lock_covering(region.pk, q(2024, 1, "half_year")) is None
    assert rules.lock_covering(region.pk, q(2024, 0, "year")) is None


def test_the_grid_refuses_a_locked_period_and_shows_the_lock(users, programme, region, indicators, municipality):
    advice, helmond = indicators["adviesvragen-vt"], municipality("Helmond")
    figure = add(helmond, advice, q(2024, 1), 400)
    approve(users, programme, q(2024, 1))
    url = reverse("reporting:figure_grid", args=[region.pk]) + f"?period={q(2024, 1).pk}&source=veilig_thuis"
    client = client_for(users["veilig_thuis"])
    page = client.get(url).content.decode()
    assert "lock-symbol" in page and '<span class="visually-hidden">Vergrendeld:</span>' in page
    assert "readonly" in page and "Cijfers opslaan" not in page
    cell = f"c-{helmond.pk}-{advice.pk}"
    response = client.post(url, {cell: "999", f"o-{cell}": "400", f"v-{cell}": str(figure.version)})
    assert response.status_code == 200
    assert "De cijfers van K1 2024 zijn vergrendeld" in response.content.decode()
    figure.refresh_from_db()
    assert figure.value == Decimal(400)
    # The service itself refuses, whatever sent the cells.
    with pytest.raises(rules.PeriodLocked):
        figure_services.figures_save_grid(
            rights=entry_rights(users["veilig_thuis"], region), period=q(2024, 1), source="veilig_thuis",
            cells=[figure_services.GridCell(helmond.pk, advice.pk, "999", "400", figure.version)],
            acting_user=users["veilig_thuis"])


def test_a_lock_binds_only_its_own_region(users, programme, region, other_region, indicators):
    """A figure belongs to a municipality, which lies in one region: Tilburg's figures stay open."""
    approve(users, programme, q(2024, 1))
    tilburg = other_region.organisations.get(name="Tilburg")
    rights = entry_rights(users["other_project_leader"], other_region)
    count = figure_services.figures_save_grid(
        rights=rights, period=q(2024, 1), source="veilig_thuis",
        cells=[figure_services.GridCell(tilburg.pk, indicators["adviesvragen-vt"].pk, "50", "", 0)],
        acting_user=users["other_project_leader"])
    assert count == 1


def test_the_table_shows_the_lock(users, programme, region, indicators, municipality):
    add(municipality("Helmond"), indicators["adviesvragen-vt"], q(2024, 1), 400)
    approve(users, programme, q(2024, 1))
    url = reverse("reporting:figure_table", args=[region.pk])
    for user in ("steering_group", "national"):
        page = client_for(users[user]).get(url, {"period": q(2024, 1).pk}).content.decode()
        assert "Vergrendeld:" in page and "(vergrendeld)" in page, user


def test_the_import_refuses_rows_of_a_locked_period_and_takes_the_rest(users, programme, region, indicators,
                                                                      municipality):
    helmond = municipality("Helmond")
    add(helmond, indicators["adviesvragen-vt"], q(2024, 1), 400)
    approve(users, programme, q(2024, 1))
    content = ("gemeente;periode;indicator;waarde\nHelmond;2024KW01;adviesvragen-vt;999\n"
               "Eindhoven;2024KW01;adviesvragen-vt;900\nHelmond;2024KW02;adviesvragen-vt;410\n")
    figure_import = run_import(users["veilig_thuis"], region, content, mapping=LONG, confirm=False)
    assert (figure_import.rejected_count, figure_import.created_count, figure_import.updated_count) == (2, 1, 0)
    refused = figure_import.rows.filter(action="rejected")
    assert all("De cijfers van K1 2024 zijn vergrendeld" in row.reason for row in refused)
    page = client_for(users["veilig_thuis"]).get(
        reverse("reporting:import_detail", args=[figure_import.pk]), {"show": "rejected"}).content.decode()
    assert page.count('<span class="visually-hidden">Vergrendeld:</span>') == 2
    with pytest.raises(ValidationError):  # rejected rows must be left out knowingly, as any rejected row
        import_services.figure_import_confirm(figure_import=figure_import, acting_user=users["veilig_thuis"])
    import_services.figure_import_confirm(figure_import=figure_import, acting_user=users["veilig_thuis"],
                                          leave_rejected=True)
    assert Figure.objects.get(organisation=helmond, period=q(2024, 1)).value == Decimal(400)
    assert Figure.objects.get(organisation=helmond, period=q(2024, 2)).value == Decimal(410)
    assert not Figure.objects.filter(organisation=municipality("Eindhoven"), period=q(2024, 1)).exists()


def test_a_period_locked_after_the_preview_refuses_the_confirmation(users, programme, region, indicators):
    figure_import = run_import(users["veilig_thuis"], region,
                               "gemeente;periode;indicator;waarde\nHelmond;2024KW01;adviesvragen-vt;414\n",
                               mapping=LONG, confirm=False)
    approve(users, programme, q(2024, 1))
    client = client_for(users["veilig_thuis"])
    response = client.post(reverse("reporting:import_confirm", args=[figure_import.pk]))
    assert response.status_code == 302
    figure_import.refresh_from_db()
    assert figure_import.status == FigureImportStatus.PREVIEW and not Figure.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "De cijfers van K1 2024 zijn vergrendeld" in page


def test_an_import_into_a_period_locked_since_cannot_be_undone(users, programme, region, indicators):
    figure_import = run_import(users["veilig_thuis"], region,
                               "gemeente;periode;indicator;waarde\nHelmond;2024KW01;adviesvragen-vt;414\n",
                               mapping=LONG)
    approve(users, programme, q(2024, 1))
    with pytest.raises(rules.PeriodLocked):
        import_services.figure_import_undo(figure_import=figure_import, acting_user=users["veilig_thuis"])
    assert Figure.objects.get().value == Decimal(414)


def test_the_cbs_fetch_refuses_a_locked_half_year_and_brings_in_the_rest(users, programme, region, indicators,
                                                                         statline, municipality, capsys):
    approve(users, programme, q(2023, 1, "half_year"))
    sync("--confirm")
    output = capsys.readouterr().out
    assert "4 rejected, of which 4 in a locked period" in output
    cbs = Figure.objects.filter(source="cbs_statline")
    assert set(cbs.values_list("period__number", flat=True)) == {2}  # only H2 2023 came in
    assert cbs.count() == 2


def test_unlocking_needs_a_reason_and_is_kept_and_mailed(users, programme, region, indicators, municipality,
                                                          mailoutbox, mailed):
    users["steering_group"].email = "wethouder@helmond.nl"
    users["steering_group"].save()
    approve(users, programme, q(2024, 1))
    lock = PeriodLock.objects.get()
    mailoutbox.clear()
    url = reverse("reporting:lock_unlock", args=[region.pk, lock.pk])
    client = client_for(users["project_leader"])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    lock.refresh_from_db()
    assert lock.is_active
    with mailed():
        response = client.post(url, {"reason": "CBS corrigeerde de meldingen van Helmond"})
    assert response.status_code == 302
    lock.refresh_from_db()
    assert (lock.unlocked_by, lock.unlock_reason, lock.is_active) == (
        users["project_leader"], "CBS corrigeerde de meldingen van Helmond", False)
    assert [m.to for m in mailoutbox] == [["wethouder@helmond.nl"]]
    assert "CBS corrigeerde de meldingen van Helmond" in mailoutbox[0].body
    assert "ontgrendeld" in mailoutbox[0].subject
    assert rules.lock_covering(region.pk, q(2024, 1)) is None
    # The history keeps the lock with who, when and why; the period can be locked again.
    page = client_for(users["helmond"]).get(reverse("reporting:lock_list", args=[region.pk])).content.decode()
    assert "CBS corrigeerde de meldingen van Helmond" in page
    response = client.post(reverse("reporting:lock_again", args=[region.pk, lock.pk]))
    assert response.status_code == 302
    assert PeriodLock.objects.filter(unlocked_at__isnull=True).count() == 1
    assert PeriodLock.objects.count() == 2


def test_only_the_project_leader_unlocks(users, programme, region, periods):
    approve(users, programme, q(2024, 1))
    lock = PeriodLock.objects.get()
    assert_permissions(reverse("reporting:lock_unlock", args=[region.pk, lock.pk]), method="post",
                       data={"reason": "test"}, allowed=[], outside=[users["other_region"], users["national"],
                                                                     users["other_project_leader"]],
                       no_role=users["no_role"], expect=302, location="/",
                       denied=[users["helmond"], users["steering_group"], users["veilig_thuis"]])
    lock.refresh_from_db()
    assert lock.is_active
    with pytest.raises(PermissionDenied):
        services.period_unlock(lock=lock, acting_user=users["steering_group"], reason="x")
    assert_permissions(reverse("reporting:lock_list", args=[region.pk]), expect=200,
                       allowed=[users[k] for k in ("project_leader", "helmond", "steering_group", "admin")],
                       outside=[users["other_region"], users["national"]], no_role=users["no_role"])


def test_unlocking_asks_the_second_factor_first(users, programme, region, settings):
    approve(users, programme, q(2024, 1))
    lock = PeriodLock.objects.get()
    settings.GHNT_REQUIRE_2FA = True
    response = client_for(users["project_leader"]).post(reverse("reporting:lock_unlock", args=[region.pk, lock.pk]),
                                                        {"reason": "correctie"})
    assert response.status_code == 302 and "/tweestapsverificatie/" in response["Location"]
    lock.refresh_from_db()
    assert lock.is_active


def test_a_new_approved_version_keeps_a_single_lock(users, programme, region):
    report = approve(users, programme, period(2024, 1))
    new = report_services.report_new_version(report=report, acting_user=users["project_leader"], reason="aanvulling")
    new = report_services.report_submit(report=new, acting_user=users["project_leader"])
    report_services.report_approve(report=new, acting_user=users["steering_group"])
    assert PeriodLock.objects.filter(unlocked_at__isnull=True).count() == 1


def test_the_breakdown_grid_respects_the_lock(users, programme, region, indicators,
                                                                   municipality):
    from programme.models import ViolenceForm
    from reporting.models import FigureBreakdown

    advice, helmond = indicators["adviesvragen-vt"], municipality("Helmond")
    child = ViolenceForm.objects.get(name="Kindermishandeling")
    approve(users, programme, q(2024, 1))
    url = (reverse("reporting:breakdown_grid", args=[region.pk])
           + f"?indicator={advice.pk}&period={q(2024, 1).pk}&source=veilig_thuis")
    client = client_for(users["veilig_thuis"])
    page = client.get(url).content.decode()
    assert '<span class="visually-hidden">Vergrendeld:</span>' in page and "Cijfers opslaan" not in page
    cells = {f"c-{helmond.pk}-{child.pk}": "200", f"c-{helmond.pk}-0": "414"}
    response = client.post(url, {**cells, **{f"v-{name}": "0" for name in cells}})
    assert response.status_code == 200 and "De cijfers van K1 2024 zijn vergrendeld" in response.content.decode()
    assert not FigureBreakdown.objects.exists() and not Figure.objects.exists()


def test_a_breakdown_file_of_a_locked_half_year_is_refused_parts_and_totals(users, programme, region, indicators):
    from reporting.models import FigureBreakdown

    from ..imports.test_breakdowns import BREAKDOWN_FILE

    approve(users, programme, q(2023, 1, "half_year"))
    figure_import = run_import(users["veilig_thuis"], region, BREAKDOWN_FILE, confirm=False)
    # Two totals and four parts of H1 2023, all refused with the reason; Amsterdam lies outside the region.
    assert (figure_import.created_count, figure_import.rejected_count, figure_import.outside_count) == (0, 6, 1)
    assert all("zijn vergrendeld" in reason for reason in
               figure_import.rows.filter(action="rejected").values_list("reason", flat=True))
    assert not FigureBreakdown.objects.exists()
