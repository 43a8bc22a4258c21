"""Self-scan pages: the four permission cases per view, what each reader sees, the national rule, query counts."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Membership, Role
from reporting.models import ScanImprovement, ScanStatus, SelfScan
from reporting.selfscans import services

from ...conftest import make_user
from ...permissions import assert_permissions, client_for
from ..factories import make_measure
from .bulk import region_with_scans
from .conftest import fill, submitted_scan

pytestmark = pytest.mark.django_db

REGION_READERS = ("project_leader", "helmond", "eindhoven", "veilig_thuis", "steering_group", "admin")
OUTSIDE = ("other_region", "other_project_leader", "national")


def _users(users, keys):
    return [users[k] for k in keys]


def _submitted(users, draft):
    return services.scan_submit(scan=fill(draft, users["helmond"], [1, 2, None, 4]), acting_user=users["helmond"])


# Permissions ---------------------------------------------------------------------------------------------------


def test_home_and_national_overview(users):
    everyone = _users(users, (*REGION_READERS, *OUTSIDE))
    assert_permissions(reverse("reporting:selfscan_home"), allowed=everyone, outside=[], no_role=users["no_role"],
                       expect=200)
    assert_permissions(reverse("reporting:selfscan_national"), allowed=everyone, outside=[],
                       no_role=users["no_role"], expect=200)


@pytest.mark.parametrize("name", ["selfscan_framework", "selfscan_heat_map_csv", "selfscan_region_export"])
def test_region_pages(name, users, framework):
    assert_permissions(reverse(f"reporting:{name}", args=[framework.pk]), allowed=_users(users, REGION_READERS),
                       outside=_users(users, OUTSIDE), no_role=users["no_role"], expect=200)


@pytest.mark.parametrize("name", ["selfscan_framework_edit", "selfscan_criterion_add"])
def test_framework_maintenance_pages(name, users, framework):
    assert_permissions(reverse(f"reporting:{name}", args=[framework.pk]),
                       allowed=_users(users, ("project_leader", "admin")), outside=_users(users, OUTSIDE),
                       denied=_users(users, ("helmond", "steering_group", "eindhoven")), no_role=users["no_role"],
                       expect=200)


def test_criterion_edit_and_remove(users, framework):
    criterion = framework.criteria.first()
    assert_permissions(reverse("reporting:selfscan_criterion_edit", args=[framework.pk, criterion.pk]),
                       allowed=[users["project_leader"]], outside=_users(users, OUTSIDE),
                       denied=_users(users, ("helmond", "steering_group")), no_role=users["no_role"], expect=200)
    assert_permissions(reverse("reporting:selfscan_criterion_remove", args=[framework.pk, criterion.pk]),
                       method="post", allowed=[users["project_leader"]], outside=_users(users, OUTSIDE),
                       denied=_users(users, ("helmond", "steering_group")), no_role=users["no_role"], expect=302,
                       location=reverse("reporting:selfscan_framework", args=[framework.pk]))
    assert not framework.criteria.filter(pk=criterion.pk).exists()
    assert_permissions(reverse("reporting:selfscan_theme_add", args=[framework.pk]), method="post",
                       data={"name": "Registratie"}, allowed=[users["project_leader"]],
                       outside=_users(users, OUTSIDE), denied=_users(users, ("helmond", "steering_group")),
                       no_role=users["no_role"], expect=302,
                       location=reverse("reporting:selfscan_framework", args=[framework.pk]))
    assert framework.themes.filter(name="Registratie").count() == 1


def test_scan_create(users, framework, helmond):
    assert_permissions(reverse("reporting:selfscan_create", args=[framework.pk]), method="post",
                       data={"municipality": helmond.pk}, allowed=[users["helmond"]], outside=_users(users, OUTSIDE),
                       denied=_users(users, ("eindhoven", "project_leader", "steering_group")),
                       no_role=users["no_role"], expect=302, location="/bewerken/")
    assert SelfScan.objects.filter(municipality=helmond).count() == 1


def test_draft_is_read_by_its_municipality_the_project_leader_and_the_steering_group(users, draft):
    full_readers = _users(users, ("helmond", "project_leader", "steering_group", "admin"))
    outside = _users(users, ("eindhoven", "veilig_thuis", *OUTSIDE))
    for name in ("selfscan_detail", "selfscan_form"):
        assert_permissions(reverse(f"reporting:{name}", args=[draft.pk]), allowed=full_readers, outside=outside,
                           no_role=users["no_role"], expect=200)


def test_submitted_scan_scores_for_the_region_form_for_full_readers(users, draft):
    scan = _submitted(users, draft)
    assert_permissions(reverse("reporting:selfscan_detail", args=[scan.pk]), allowed=_users(users, REGION_READERS),
                       outside=_users(users, OUTSIDE), no_role=users["no_role"], expect=200)
    assert_permissions(reverse("reporting:selfscan_form", args=[scan.pk]),
                       allowed=_users(users, ("helmond", "project_leader", "steering_group")),
                       outside=_users(users, ("eindhoven", "veilig_thuis", *OUTSIDE)), no_role=users["no_role"],
                       expect=200)


def test_edit_and_upload_pages(users, draft):
    for name in ("selfscan_edit", "selfscan_upload"):
        assert_permissions(reverse(f"reporting:{name}", args=[draft.pk]), allowed=[users["helmond"]],
                           outside=_users(users, ("eindhoven", *OUTSIDE)),
                           denied=_users(users, ("project_leader", "steering_group", "admin")),
                           no_role=users["no_role"], expect=200)


def test_workflow_steps(users, draft):
    detail = reverse("reporting:selfscan_detail", args=[draft.pk])
    fill(draft, users["helmond"], [1, 2, 3, 4])
    assert_permissions(reverse("reporting:selfscan_submit", args=[draft.pk]), method="post",
                       allowed=[users["helmond"]], outside=_users(users, ("eindhoven", *OUTSIDE)),
                       denied=_users(users, ("project_leader", "steering_group", "admin")), no_role=users["no_role"],
                       expect=302, location=detail)
    assert SelfScan.objects.get(pk=draft.pk).status == ScanStatus.SUBMITTED
    assert_permissions(reverse("reporting:selfscan_return", args=[draft.pk]), method="post",
                       data={"comment": "Graag toelichten"}, allowed=[users["project_leader"]],
                       outside=_users(users, OUTSIDE),
                       denied=_users(users, ("helmond", "eindhoven", "steering_group")), no_role=users["no_role"],
                       expect=302, location=detail)
    assert SelfScan.objects.get(pk=draft.pk).status == ScanStatus.RETURNED
    services.scan_submit(scan=SelfScan.objects.get(pk=draft.pk), acting_user=users["helmond"])
    assert_permissions(reverse("reporting:selfscan_new_version", args=[draft.pk]), method="post",
                       data={"reason": "Correctie"}, allowed=[users["helmond"]], outside=_users(users, OUTSIDE),
                       denied=_users(users, ("project_leader", "steering_group", "eindhoven")),
                       no_role=users["no_role"], expect=302, location="/bewerken/")
    assert SelfScan.objects.filter(framework=draft.framework, municipality=draft.municipality).count() == 2


def test_improvement_views(users, draft):
    assert_permissions(reverse("reporting:selfscan_improvement_add", args=[draft.pk]), method="post",
                       data={"text": "Meer scholing"}, allowed=[users["helmond"]],
                       outside=_users(users, ("eindhoven", *OUTSIDE)),
                       denied=_users(users, ("project_leader", "steering_group")), no_role=users["no_role"],
                       expect=302, location=reverse("reporting:selfscan_detail", args=[draft.pk]))
    improvement = ScanImprovement.objects.get(scan=draft)
    measure = make_measure(title="Scholing wijkteams")
    assert_permissions(reverse("reporting:selfscan_improvement_link", args=[improvement.pk]), method="post",
                       data={"measure": measure.pk}, allowed=_users(users, ("project_leader", "helmond")),
                       outside=_users(users, ("eindhoven", *OUTSIDE)), denied=[users["steering_group"]],
                       no_role=users["no_role"], expect=302,
                       location=reverse("reporting:selfscan_detail", args=[draft.pk]))
    assert ScanImprovement.objects.get(pk=improvement.pk).measure == measure
    assert_permissions(reverse("reporting:selfscan_improvement_measure", args=[improvement.pk]),
                       allowed=_users(users, ("project_leader", "helmond")),
                       outside=_users(users, ("eindhoven", *OUTSIDE)), denied=[users["steering_group"]],
                       no_role=users["no_role"], expect=200)


# What each reader sees -----------------------------------------------------------------------------------------


def test_explanations_hidden_from_other_municipalities_and_the_national_team(users, draft):
    scan = _submitted(users, draft)
    url = reverse("reporting:selfscan_detail", args=[scan.pk])
    own = client_for(users["helmond"]).get(url).content.decode()
    other = client_for(users["eindhoven"]).get(url).content.decode()
    assert "Toelichting Veiligheid taxeren" in own and "Korte lijnen" in own
    assert "Toelichting" not in other and "Korte lijnen" not in other
    assert "Veiligheid taxeren" in other  # the scores and criteria are there
    assert client_for(users["national"]).get(url).status_code == 404
    national = client_for(users["national"]).get(reverse("reporting:selfscan_national"), {"jaar": 2025})
    assert "Toelichting" not in national.content.decode()
    export = client_for(users["eindhoven"]).get(reverse("reporting:selfscan_region_export",
                                                        args=[scan.framework_id]))
    assert b"Toelichting" not in export.content


def test_heat_map_shows_the_averages_and_links_to_the_scan(users, draft):
    scan = _submitted(users, draft)  # Veiligheid: 1 and 2 -> 1,5; Samenwerking: n.v.t. and 4 -> 4,0
    page = client_for(users["eindhoven"]).get(reverse("reporting:selfscan_framework",
                                                      args=[scan.framework_id])).content.decode()
    assert ">1,5<" in page and ">4,0<" in page
    assert reverse("reporting:selfscan_detail", args=[scan.pk]) in page
    assert "1 of" in page or "1 van" in page


def test_national_team_sees_region_averages_only_from_three_teams(users, framework, helmond, eindhoven, org):
    url = reverse("reporting:selfscan_national")
    submitted_scan(framework, helmond, users["helmond"], [1, 1, 3, 3])
    submitted_scan(framework, eindhoven, users["eindhoven"], [3, 3, 3, 3])
    page = client_for(users["national"]).get(url, {"jaar": 2025}).content.decode()
    assert "Zuidoost-Brabant" in page and ">2,0<" not in page and ">3,0<" not in page
    third = org("Deurne")
    make_user("deurne", third, Role.POLICY_ADVISER)
    from django.contrib.auth import get_user_model
    submitted_scan(framework, third, get_user_model().objects.get(username="deurne"), [1, 1, 3, 3])
    page = client_for(users["national"]).get(url, {"jaar": 2025}).content.decode()
    assert ">1,7<" in page and ">3,0<" in page  # Veiligheid (1+3+1)/3, Samenwerking 3


# Scale ---------------------------------------------------------------------------------------------------------


def _count(user, url):
    client = client_for(user)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200
    return len(queries), elapsed


def test_heat_map_queries_do_not_grow_with_the_municipalities(users):
    small = region_with_scans("klein", 5, users["admin"], base=9500)
    large = region_with_scans("groot", 342, users["admin"])
    counts = []
    for framework in (small, large):
        leader = make_user(f"pl-{framework.region.code}")
        organisation = framework.region.organisations.first()
        Membership.objects.create(user=leader, organisation=organisation, role=Role.PROJECT_LEADER)
        counts.append(_count(leader, reverse("reporting:selfscan_framework", args=[framework.pk]))[0])
    # The regions of these leaders lie within no larger one and hold none: the scope reads no region tree.
    assert counts[0] == counts[1] == 13, counts
    national = [_count(users["national"], reverse("reporting:selfscan_national") + "?jaar=2025")[0]]
    assert national == [7], national


# Input ---------------------------------------------------------------------------------------------------------


def _form_data(scan, **overrides):
    data = {"version": scan.version, "strengths": ""}
    for criterion in scan.framework.criteria.all():
        data[f"score_{criterion.pk}"] = ""
        data[f"explanation_{criterion.pk}"] = ""
    data.update(overrides)
    return data


def test_bad_score_gets_a_dutch_message_at_its_field(users, draft):
    criterion = draft.framework.criteria.first()
    url = reverse("reporting:selfscan_edit", args=[draft.pk])
    response = client_for(users["helmond"]).post(url, _form_data(draft, **{f"score_{criterion.pk}": "7"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_score_{criterion.pk}-errors"' in page and "Kies 1, 2, 3, 4 of" in page
    assert draft.answers.get(criterion=criterion).score is None


def test_concurrent_edit_in_the_browser_form_keeps_the_input_and_saves_nothing(users, draft):
    criterion = draft.framework.criteria.first()
    url = reverse("reporting:selfscan_edit", args=[draft.pk])
    client = client_for(users["helmond"])
    first = _form_data(draft, **{f"score_{criterion.pk}": "3", "strengths": "Versie A"})
    assert client.post(url, first).status_code == 302
    second = _form_data(draft, **{f"score_{criterion.pk}": "1", "strengths": "Versie B"})  # the old version
    response = client.post(url, second)
    page = response.content.decode()
    assert response.status_code == 200 and "Iemand anders heeft dit als eerste gewijzigd" in page
    assert "Versie B" in page
    assert SelfScan.objects.get(pk=draft.pk).strengths == "Versie A"
    assert draft.answers.get(criterion=criterion).score == 3
