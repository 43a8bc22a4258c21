"""One completeness rule: the home card, the steering dashboard's tile and the reminder mail agree."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programme import calendar
from programme.models import Indicator, Organisation
from reporting.figures.completeness import delivery_status, figure_deliveries, figure_delivery
from reporting.models import Figure

from ...permissions import assert_permissions, client_for
from ..factories import period

pytestmark = pytest.mark.django_db


@pytest.fixture
def partial_q1(users, programme, periods):
    """Q1 2026: Veilig Thuis entered advice requests for all 21 municipalities and reports for 12 of them."""
    for user in users.values():
        user.email = f"{user.username}@example.nl"
        user.save()
    q1 = period(2026, 1)
    q1.deadline = datetime.date(2026, 4, 30)
    q1.save()
    municipalities = list(Organisation.objects.filter(kind="municipality", region=programme.region).order_by("name"))
    advice = Indicator.objects.get(code="adviesvragen-vt")
    reports = Indicator.objects.get(code="meldingen-vt")
    Figure.objects.bulk_create([Figure(indicator=advice, organisation=m, period=q1, source="veilig_thuis", value=10)
                                for m in municipalities])
    Figure.objects.bulk_create([Figure(indicator=reports, organisation=m, period=q1, source="veilig_thuis", value=8)
                                for m in municipalities[:12]])
    return {"period": q1, "municipalities": municipalities}


def test_tile_home_card_and_reminder_agree_on_partial_delivery(users, programme, partial_q1, monkeypatch):
    delivery = figure_delivery(region=programme.region, period=partial_q1["period"])
    assert (delivery.delivered, delivery.expected) == (33, 42)
    assert [s.name for s in delivery.missing_suppliers] == ["Veilig Thuis Oost-Brabant"]
    missing_names = [m.name for m in partial_q1["municipalities"][12:]]

    monkeypatch.setattr(calendar, "today", lambda: datetime.date(2026, 4, 20))

    home = client_for(users["veilig_thuis"]).get("/")
    dashboard = client_for(users["steering_group"]).get(f"/dashboard/regio/{programme.region_id}/")
    [card] = delivery_status(users["veilig_thuis"])
    call_command("send_reminders", "--date", "2026-04-20", stdout=io.StringIO())

    assert (card["delivered"], card["expected"]) == (33, 42)
    assert home.status_code == 200
    assert "33 van 42 cijfers van Zuidoost-Brabant zijn binnen." in home.content.decode()
    assert dashboard.status_code == 200
    tile = dashboard.content.decode()
    assert "33 van 42 waarden zijn binnen." in tile
    assert "Veilig Thuis Oost-Brabant" in tile and "Elke organisatie heeft aangeleverd" not in tile
    table = client_for(users["steering_group"]).get(f"/cijfers/regio/{programme.region_id}/volledigheid/")
    assert table.status_code == 200
    [due] = [d for d in table.context["table"]["deliveries"] if d.period == partial_q1["period"]]
    assert (due.delivered, due.expected) == (33, 42)
    [vt_row] = [r for r in table.context["table"]["rows"] if r["name"] == "Veilig Thuis Oost-Brabant"]
    assert (vt_row["cells"][-1].delivered, vt_row["cells"][-1].expected) == (33, 42)
    assert "33 van 42" in table.content.decode()
    assert [s.name for s in due.missing_suppliers] == ["Veilig Thuis Oost-Brabant"]
    [reminder] = [m for m in mail.outbox if m.to == ["vt@example.nl"]]
    assert f"Meldingen Veilig Thuis: {len(missing_names)} gemeenten ({', '.join(missing_names)})" in reminder.body


def test_completeness_table_shows_every_quarter_in_five_queries_and_only_to_the_region(users, programme, partial_q1,
                                                                                    monkeypatch):
    monkeypatch.setattr(calendar, "today", lambda: datetime.date(2026, 4, 20))
    quarters = [period(2025, n) for n in (1, 2, 3, 4)] + [partial_q1["period"]]
    with CaptureQueriesContext(connection) as queries:
        deliveries = figure_deliveries(region=programme.region, periods=quarters)
    assert len(queries) == 5  # indicators, municipalities, figures, the region and its parents, partners
    assert [(d.delivered, d.expected) for d in deliveries] == [(0, 42)] * 4 + [(33, 42)]
    assert [(d.delivered, d.expected) for d in deliveries] == [
        (d.delivered, d.expected) for d in (figure_delivery(region=programme.region, period=q) for q in quarters)]
    url = f"/cijfers/regio/{programme.region_id}/volledigheid/"
    members = [users[name] for name in ("steering_group", "project_leader", "helmond", "veilig_thuis")]
    assert_permissions(url, allowed=members, outside=[users["other_region"]], no_role=users["no_role"], expect=200)
