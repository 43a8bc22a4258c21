"""Dashboard selectors: the numbers they return, computed by hand, and the fingerprint that retires cached data."""

import datetime
from decimal import Decimal

import pytest

from measures.models import Participation
from programme import calendar
from programme.models import Goal, Indicator, Organisation, Population, Region
from reporting.dashboards import cache
from reporting.dashboards.selectors import common, national, steering
from reporting.figures.goals import goal_actuals
from reporting.figures.selectors import rate
from reporting.models import Bottleneck, Figure, ProgressReport, ReportStatus

from ..factories import make_measure, period

pytestmark = pytest.mark.django_db

POPULATIONS = {"Asten": 10000, "Best": 20000, "Bladel": 30000}


@pytest.fixture
def known(periods):
    """Three municipalities with known inhabitants in 2024 and Q1 2024 figures 12, 30 and 3."""
    orgs = {name: Organisation.objects.get(name=name) for name in POPULATIONS}
    for name, inhabitants in POPULATIONS.items():
        Population.objects.filter(organisation=orgs[name]).delete()
        Population.objects.create(organisation=orgs[name], year=2024, inhabitants=inhabitants)
    indicator = Indicator.objects.get(code="meldingen-vt")
    q1 = period(2024, 1)
    for name, value in {"Asten": 12, "Best": 30, "Bladel": 3}.items():
        Figure.objects.create(indicator=indicator, organisation=orgs[name], period=q1, source="veilig_thuis",
                              value=value)
    return {"orgs": orgs, "indicator": indicator, "q1": q1, "region": Region.objects.get(code="zuidoost-brabant")}


def _indicator(indicator):
    return {"id": indicator.pk, "code": indicator.code, "name": indicator.name, "suppress": True}


def test_region_total_average_and_rate_are_computed_by_the_database(known):
    [result] = common.figures_over_time(region=known["region"], indicators=[_indicator(known["indicator"])],
                                      period_ids=[known["q1"].pk], municipality_id=None)
    region = result["region"][known["q1"].pk]
    # 12 + 30 + 3 = 45 over three municipalities; 60,000 inhabitants have a value.
    assert region["total"] == 45 and region["average"] == Decimal("15.00") and region["count"] == 3
    assert region["inhabitants"] == 60000
    assert rate(region["total"], region["inhabitants"]) == Decimal("0.75")
    asten = known["orgs"]["Asten"].pk
    assert result["values"][(asten, known["q1"].pk)] == (Decimal(12), 10000, "veilig_thuis")
    assert rate(12, 10000) == Decimal("1.20")
    assert result["sources"] == ["veilig_thuis"] and region["source"] == "veilig_thuis"


def test_another_source_is_never_added_and_a_later_year_uses_the_nearest_population(known):
    Figure.objects.create(indicator=known["indicator"], organisation=known["orgs"]["Asten"], period=known["q1"],
                          source="cbs_statline", value=100)
    q1_2025 = period(2025, 1)
    Figure.objects.create(indicator=known["indicator"], organisation=known["orgs"]["Best"], period=q1_2025,
                          source="veilig_thuis", value=40)
    [result] = common.figures_over_time(region=known["region"], indicators=[_indicator(known["indicator"])],
                                      period_ids=[known["q1"].pk, q1_2025.pk], municipality_id=None)
    assert result["region"][known["q1"].pk]["total"] == 45  # not 145: CBS's figure is another source
    assert result["region"][q1_2025.pk]["inhabitants"] == 20000  # Best in 2025: its 2024 population
    asten = known["orgs"]["Asten"].pk
    assert result["values"][(asten, known["q1"].pk)] == (Decimal(12), 10000, "veilig_thuis")


def test_the_source_is_chosen_per_period_so_a_new_quarter_never_hides_the_history(known):
    """CBS history in 2023, Veilig Thuis typed in one 2024 quarter: both show, each with its own source."""
    history = [period(2023, number) for number in (1, 2, 3, 4)]
    for quarter in history:
        for name in POPULATIONS:
            Figure.objects.create(indicator=known["indicator"], organisation=known["orgs"][name], period=quarter,
                                  source="cbs_statline", value=20)
    [result] = common.figures_over_time(region=known["region"], indicators=[_indicator(known["indicator"])],
                                      period_ids=[q.pk for q in [*history, known["q1"]]], municipality_id=None)
    asten = known["orgs"]["Asten"].pk
    for quarter in history:
        assert result["values"][(asten, quarter.pk)] == (Decimal(20), 10000, "cbs_statline")
        assert result["region"][quarter.pk]["source"] == "cbs_statline"
        assert result["region"][quarter.pk]["total"] == 60
    assert result["values"][(asten, known["q1"].pk)][2] == "veilig_thuis"
    assert result["sources"] == ["veilig_thuis", "cbs_statline"]


def test_one_municipality_keeps_the_whole_region_as_reference(known):
    best = known["orgs"]["Best"]
    [result] = common.figures_over_time(region=known["region"], indicators=[_indicator(known["indicator"])],
                                      period_ids=[known["q1"].pk], municipality_id=best.pk)
    assert result["municipalities"] == [(best.pk, "Best")]
    assert list(result["values"]) == [(best.pk, known["q1"].pk)]
    assert result["region"][known["q1"].pk]["total"] == 45


def test_tiles_count_measures_bottlenecks_and_the_report_of_this_period(users, programme, q1):
    make_measure(title="A", line=1, status="in_progress", health="on_track")
    make_measure(title="B", line=1, status="in_progress", health="at_risk")
    make_measure(title="C", line=2, status="planned", health="on_track")
    archived = make_measure(title="D", line=2, status="completed", health="off_track")
    archived.archived_at = archived.created_at
    archived.save()
    for status in ("open", "open", "escalated", "resolved"):
        Bottleneck.objects.create(programme=programme, title=status, description="x",
                                  action_line=programme.action_lines.get(number=1), status=status,
                                  raised_by=users["project_leader"])
    region = programme.region
    options = steering.steering_options(region, cache.data_fingerprint())
    dashboard = steering.steering_data(region, common.Filters(), options, cache.data_fingerprint())
    tiles = dashboard["tiles"]
    assert tiles["measures"] == 3  # the archived one is not counted, as in the measure list
    assert tiles["by_health"] == {"on_track": 2, "at_risk": 1, "off_track": 0}
    assert tiles["by_status"]["in_progress"] == 2 and tiles["by_status"]["planned"] == 1
    assert (tiles["bottlenecks_open"], tiles["bottlenecks_escalated"]) == (2, 1)
    line1 = next(line for line in dashboard["lines"] if line["number"] == 1)
    assert line1["health"] == {"on_track": 1, "at_risk": 1, "off_track": 0}
    assert "Veilig Thuis Oost-Brabant" in tiles["delivery"]["organisations"]


def test_filters_by_action_line_and_participating_municipality(users, programme, periods):
    helmond = Organisation.objects.get(name="Helmond")
    a = make_measure(title="A", line=1)
    make_measure(title="B", line=1)
    make_measure(title="C", line=2)
    Participation.objects.create(measure=a, organisation=helmond, joined_on="2024-01-01")
    region = programme.region
    fingerprint = cache.data_fingerprint()
    options = steering.steering_options(region, fingerprint)
    line1 = programme.action_lines.get(number=1).pk
    only_line = steering.steering_data(region, common.Filters(action_line=line1), options, fingerprint)
    assert only_line["tiles"]["measures"] == 2 and [line["number"] for line in only_line["lines"]] == [1]
    only_helmond = steering.steering_data(region, common.Filters(municipality=helmond.pk), options, fingerprint)
    assert only_helmond["tiles"]["measures"] == 1


def test_goal_trend_uses_the_same_year_value_as_the_goal_actuals(known, programme):
    goal = Goal.objects.get(action_line__programme=programme, indicator=known["indicator"])
    for number in (2, 3, 4):
        for name, value in {"Asten": 10, "Best": 20, "Bladel": 30}.items():
            Figure.objects.create(indicator=known["indicator"], organisation=known["orgs"][name],
                                  period=period(2024, number), source="veilig_thuis", value=value)
    goals = steering._goals(programme.region, common.Filters(), (2022, 2026))
    measured = next(g for g in goals if g["id"] == goal.pk)
    # 2024: 45 in Q1, then 60 in each of Q2-Q4.
    assert measured["years"] == [(2024, Decimal(225))]
    goal.refresh_from_db()
    assert goal_actuals(None, [goal])[goal.pk]["number"] == Decimal(225)


def test_the_fingerprint_changes_with_every_kind_of_write(known, users, programme):
    before = cache.data_fingerprint()
    figure = Figure.objects.first()
    figure.value = 99
    figure.save()
    after_figure = cache.data_fingerprint()
    assert after_figure != before
    Population.objects.filter(organisation=known["orgs"]["Asten"]).update(inhabitants=10001)
    after_population = cache.data_fingerprint()
    assert after_population != after_figure
    measure = make_measure(title="Nieuw")
    assert cache.data_fingerprint() != after_population
    moment = cache.data_fingerprint()
    ProgressReport.objects.create(programme=programme, period=period(2024, 1), created_by=users["project_leader"])
    assert cache.data_fingerprint() != moment
    moment = cache.data_fingerprint()
    Figure.objects.filter(pk=figure.pk).delete()
    measure.delete()
    assert cache.data_fingerprint() != moment


def test_national_rates_per_region_and_reporting_status(known, users, programme):
    q = [period(2024, n) for n in (2, 3, 4)]
    for p in q:
        for name, value in {"Asten": 10, "Best": 20, "Bladel": 30}.items():
            Figure.objects.create(indicator=known["indicator"], organisation=known["orgs"][name], period=p,
                                  source="veilig_thuis", value=value)
    approved = ProgressReport.objects.create(programme=programme, period=period(2024, 1), status=ReportStatus.APPROVED,
                                             created_by=users["project_leader"], snapshot={})
    ProgressReport.objects.create(programme=programme, period=period(2024, 2), created_by=users["project_leader"])
    fingerprint = cache.data_fingerprint()
    years = national.national_years(fingerprint)
    assert years["years"] == [2024]
    indicator = next(i for i in years["indicators"] if i["code"] == "meldingen-vt")
    overview = national.national_data(2024, [indicator], fingerprint)
    row = overview["figures"][(known["region"].pk, indicator["id"])]
    # 45 + 3 x 60 = 225 reports in 2024 over 60,000 inhabitants: 3.75 per 1,000.
    assert row["total"] == 225 and row["inhabitants"] == 60000 and row["rate"] == Decimal("3.75")

    report = overview["reports"][known["region"].pk]
    assert report["latest_approved"] == approved.pk  # never the newer draft


def test_the_fingerprint_covers_every_model_the_dashboards_may_read(known, programme):
    """Models the old hand-kept list missed (themes, grants) retire the cache too; staging rows do not."""
    from measures.models import FundingGrant, FundingSource
    from programme.models import Theme
    from reporting.models import ImportRow

    covered = {model._meta.label for model in cache.covered_models()}
    for label in ("programme.Theme", "measures.FundingGrant", "measures.Assessment", "reporting.Lesson"):
        assert label in covered
    assert "reporting.ImportRow" not in covered and ImportRow._meta.label in cache.NOT_SHOWN
    before = cache.data_fingerprint()
    theme = Theme.objects.first()
    theme.name = "Hernoemd thema"
    theme.save()
    after_theme = cache.data_fingerprint()
    assert after_theme != before
    grant = FundingGrant.objects.create(programme=programme, source=FundingSource.objects.first(),
                                        recipient=known["orgs"]["Asten"], year=2024, amount=1000)
    after_grant = cache.data_fingerprint()
    assert after_grant != after_theme
    FundingGrant.objects.filter(pk=grant.pk).update(amount=2000)
    assert cache.data_fingerprint() != after_grant


def test_the_report_tile_shows_this_quarters_newest_revision_and_the_latest_approved_report(
        known, users, programme, monkeypatch):
    """Today is in Q2 2024: the tile shows Q2's second revision (a draft), and Q1's approved report as the latest
    approved, never Q2's approved first revision... until that is the newest approved one."""
    monkeypatch.setattr(calendar, "today", lambda: datetime.date(2024, 5, 10))
    leader = users["project_leader"]
    q1 = ProgressReport.objects.create(programme=programme, period=period(2024, 1), status=ReportStatus.APPROVED,
                                       created_by=leader, snapshot={})
    ProgressReport.objects.create(programme=programme, period=period(2023, 4), status=ReportStatus.APPROVED,
                                  created_by=leader, snapshot={})
    draft = ProgressReport.objects.create(programme=programme, period=period(2024, 2), revision=2, created_by=leader)
    tiles = steering.steering_tiles(known["region"], cache.data_fingerprint())
    assert tiles["report"]["pk"] == draft.pk and tiles["report"]["status"] == ReportStatus.DRAFT
    assert tiles["latest_approved"]["pk"] == q1.pk and tiles["latest_approved"]["period__number"] == 1

    first = ProgressReport.objects.create(programme=programme, period=period(2024, 2), status=ReportStatus.APPROVED,
                                          created_by=leader, snapshot={})
    tiles = steering.steering_tiles(known["region"], cache.data_fingerprint())
    assert tiles["report"]["pk"] == draft.pk  # the newest revision, not the approved first one
    assert tiles["latest_approved"]["pk"] == first.pk


def test_without_a_current_quarter_the_report_tile_has_only_the_latest_approved_report(
        known, users, programme, monkeypatch):
    monkeypatch.setattr(calendar, "today", lambda: datetime.date(1990, 1, 1))
    approved = ProgressReport.objects.create(programme=programme, period=period(2024, 1),
                                             status=ReportStatus.APPROVED, created_by=users["project_leader"],
                                             snapshot={})
    tiles = steering.steering_tiles(known["region"], cache.data_fingerprint())
    assert tiles["report"] is None and tiles["report_period"] is None
    assert tiles["latest_approved"]["pk"] == approved.pk
