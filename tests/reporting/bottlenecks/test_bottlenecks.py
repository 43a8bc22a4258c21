"""Bottlenecks: raised by anyone of the region, worked out and escalated by the project leader, decided, resolved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from programme.models import ChangeRecord, Organisation
from reporting.bottlenecks import services
from reporting.models import Bottleneck

from ...permissions import assert_permissions, client_for
from ..factories import make_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def bottleneck(users, programme):
    measure = make_measure(programme, line=2, title="MDA++ intake")
    return services.bottleneck_create(acting_user=users["helmond"], title="Wachttijd intake", description="Lang",
                                      severity="high", measure=measure)


def test_policy_adviser_raises_one_and_it_follows_the_measure_line(users, programme, bottleneck):
    assert bottleneck.action_line == programme.action_lines.get(number=2)
    assert bottleneck.status == "open" and bottleneck.raised_by == users["helmond"]
    record = ChangeRecord.objects.get(content_type__model="bottleneck", object_id=bottleneck.pk)
    assert record.action == "create" and record.changes["title"] == [None, "Wachttijd intake"]


def test_raise_needs_measure_or_action_line_and_a_member_of_the_region(users, programme):
    with pytest.raises(ValidationError):
        services.bottleneck_create(acting_user=users["helmond"], title="x", description="y", severity="low")
    with pytest.raises(PermissionDenied):
        services.bottleneck_create(acting_user=users["other_region"], title="x", description="y", severity="low",
                                   action_line=programme.action_lines.first())
    assert not Bottleneck.objects.exists()


def test_full_lifecycle_and_every_illegal_step(users, bottleneck):
    pl, sg = users["project_leader"], users["steering_group"]
    with pytest.raises(ValidationError) as refused:  # decide before escalation
        services.bottleneck_decide(bottleneck=bottleneck, acting_user=sg, decision="Ja")
    assert "alleen over geëscaleerde knelpunten" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):
        services.bottleneck_escalate(bottleneck=bottleneck, acting_user=users["helmond"])
    with pytest.raises(PermissionDenied):
        services.bottleneck_escalate(bottleneck=bottleneck, acting_user=sg)
    vt = Organisation.objects.get(name="Veilig Thuis Oost-Brabant")  # of the larger region: allowed as owner
    services.bottleneck_update(bottleneck=bottleneck, acting_user=pl, expected_version=bottleneck.version,
                               proposed_solution="Extra casusregisseur", owner_organisation=vt, owner_person="Jan")
    services.bottleneck_escalate(bottleneck=bottleneck, acting_user=pl)
    assert bottleneck.status == "escalated" and bottleneck.escalated_at
    with pytest.raises(ValidationError):
        services.bottleneck_escalate(bottleneck=bottleneck, acting_user=pl)
    with pytest.raises(PermissionDenied):
        services.bottleneck_decide(bottleneck=bottleneck, acting_user=pl, decision="Zelf besloten")
    with pytest.raises(ValidationError):
        services.bottleneck_decide(bottleneck=bottleneck, acting_user=sg, decision=" ")
    services.bottleneck_decide(bottleneck=bottleneck, acting_user=sg, decision="Budget vrijgemaakt")
    assert bottleneck.status == "decided" and bottleneck.decided_by == sg
    with pytest.raises(PermissionDenied):
        services.bottleneck_resolve(bottleneck=bottleneck, acting_user=sg, resolution="Klaar")
    with pytest.raises(ValidationError):
        services.bottleneck_resolve(bottleneck=bottleneck, acting_user=pl, resolution="")
    services.bottleneck_resolve(bottleneck=bottleneck, acting_user=pl, resolution="Regisseur aangesteld")
    assert Bottleneck.objects.get(pk=bottleneck.pk).status == "resolved"
    for step in (lambda: services.bottleneck_resolve(bottleneck=bottleneck, acting_user=pl, resolution="Nog eens"),
                 lambda: services.bottleneck_update(bottleneck=bottleneck, acting_user=pl,
                                                    expected_version=bottleneck.version, title="Nieuw")):
        with pytest.raises(ValidationError):
            step()
    history = ChangeRecord.objects.filter(content_type__model="bottleneck", object_id=bottleneck.pk)
    assert [r.changes.get("status", [None, None])[1] for r in history.order_by("pk")] == [
        "open", None, "escalated", "decided", "resolved"]


def test_owner_from_another_region_is_refused(users, bottleneck):
    tilburg = Organisation.objects.get(name="Tilburg")
    with pytest.raises(ValidationError) as refused:
        services.bottleneck_update(bottleneck=bottleneck, acting_user=users["project_leader"],
                                   expected_version=bottleneck.version, owner_organisation=tilburg)
    assert "owner_organisation" in refused.value.error_dict
    assert Bottleneck.objects.get(pk=bottleneck.pk).owner_organisation is None


def test_view_permissions(users, bottleneck):
    region = [users[k] for k in ("project_leader", "helmond", "veilig_thuis", "steering_group", "admin")]
    assert_permissions(reverse("reporting:bottleneck_list"), allowed=region, outside=[],
                       denied=[users["national"]], no_role=users["no_role"], expect=200)
    assert_permissions(reverse("reporting:bottleneck_create"), allowed=region, outside=[],
                       denied=[users["national"]], no_role=users["no_role"], expect=200)
    assert_permissions(reverse("reporting:bottleneck_detail", args=[bottleneck.pk]), allowed=region,
                       outside=[users["other_region"], users["other_project_leader"]],
                       denied=[users["national"]], no_role=users["no_role"], expect=200)
    assert_permissions(reverse("reporting:bottleneck_edit", args=[bottleneck.pk]), allowed=[users["project_leader"]],
                       outside=[users["other_region"]], denied=[users["helmond"], users["steering_group"]],
                       no_role=users["no_role"], expect=200)
    outside = [users["other_region"], users["other_project_leader"]]
    assert_permissions(reverse("reporting:bottleneck_escalate", args=[bottleneck.pk]), method="post",
                       allowed=[users["project_leader"]], outside=outside,
                       denied=[users["helmond"], users["steering_group"], users["national"]],
                       no_role=users["no_role"], expect=302,
                       location=reverse("reporting:bottleneck_detail", args=[bottleneck.pk]))
    assert_permissions(reverse("reporting:bottleneck_decide", args=[bottleneck.pk]), method="post",
                       data={"decision": "Akkoord"}, allowed=[users["steering_group"]], outside=outside,
                       denied=[users["helmond"], users["project_leader"], users["national"]],
                       no_role=users["no_role"], expect=302,
                       location=reverse("reporting:bottleneck_detail", args=[bottleneck.pk]))
    assert_permissions(reverse("reporting:bottleneck_resolve", args=[bottleneck.pk]), method="post",
                       data={"resolution": "Opgelost"}, allowed=[users["project_leader"]], outside=outside,
                       denied=[users["helmond"], users["steering_group"], users["national"]],
                       no_role=users["no_role"], expect=302,
                       location=reverse("reporting:bottleneck_detail", args=[bottleneck.pk]))
    assert Bottleneck.objects.get(pk=bottleneck.pk).status == "resolved"


def test_raise_through_the_page_and_see_history(users, programme):
    line = programme.action_lines.get(number=3)
    client = client_for(users["veilig_thuis"])
    response = client.post(reverse("reporting:bottleneck_create"), {
        "title": "Ouderenmishandeling onderbelicht", "description": "Weinig meldingen", "action_line": line.pk,
        "severity": "medium"})
    bottleneck = Bottleneck.objects.get()
    assert response.status_code == 302
    client_for(users["project_leader"]).post(reverse("reporting:bottleneck_edit", args=[bottleneck.pk]), {
        "title": bottleneck.title, "description": bottleneck.description, "action_line": line.pk,
        "severity": "high", "proposed_solution": "Thuiszorg betrekken", "owner_person": "Priya",
        "version": bottleneck.version})
    page = client.get(reverse("reporting:bottleneck_detail", args=[bottleneck.pk])).content.decode()
    assert "Thuiszorg betrekken" in page and "Geschiedenis" in page
    assert "Ernst" in page and "Middel → Hoog" in page.replace("middel", "Middel").replace("hoog", "Hoog")


def test_empty_raise_shows_dutch_message(users):
    response = client_for(users["helmond"]).post(reverse("reporting:bottleneck_create"),
                                                 {"title": "x", "description": "y", "severity": "low"})
    assert "Kies de maatregel of de actielijn waarover dit knelpunt gaat." in response.content.decode()
    assert not Bottleneck.objects.exists()


def test_illegal_step_through_the_page_is_refused_with_message(users, bottleneck):
    response = client_for(users["steering_group"]).post(
        reverse("reporting:bottleneck_decide", args=[bottleneck.pk]), {"decision": "Akkoord"}, follow=True)
    assert "De stuurgroep besluit alleen over geëscaleerde knelpunten" in response.content.decode()
    assert Bottleneck.objects.get(pk=bottleneck.pk).status == "open"


def test_list_filters_live_in_the_url(users, programme, bottleneck):
    line1 = programme.action_lines.get(number=1)
    low = services.bottleneck_create(acting_user=users["helmond"], title="Kleine zorg", description="-",
                                     severity="low", action_line=line1)
    services.bottleneck_escalate(bottleneck=bottleneck, acting_user=users["project_leader"])
    client = client_for(users["steering_group"])
    url = reverse("reporting:bottleneck_list")

    def titles(query):
        page = client.get(url, query).content.decode()
        return {title for title in ("Wachttijd intake", "Kleine zorg") if title in page}

    assert titles({}) == {"Wachttijd intake", "Kleine zorg"}
    assert titles({"status": "escalated"}) == {"Wachttijd intake"}
    assert titles({"severity": "low"}) == {"Kleine zorg"}
    assert titles({"action_line": line1.pk}) == {"Kleine zorg"}
    assert titles({"escalated": "yes"}) == {"Wachttijd intake"}
    assert titles({"escalated": "no"}) == {"Kleine zorg"}
    assert low.pk


def test_list_query_count_does_not_grow(users, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(users["helmond"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reporting:bottleneck_list")).status_code == 200
        return len(ctx.captured_queries)

    line = programme.action_lines.first()
    for i in range(3):
        services.bottleneck_create(acting_user=users["helmond"], title=f"K{i}", description="-", severity="low",
                                   measure=make_measure(programme, title=f"M{i}"))
    small = count()
    for i in range(3, 30):
        services.bottleneck_create(acting_user=users["helmond"], title=f"K{i}", description="-", severity="low",
                                   action_line=line)
    assert count() == small
