"""Dashboard pages and downloads: who may open them, what they show, that nothing is stale, constant query counts."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Measure
from measures.services import participations as participation_services
from measures.services import updates as update_services
from programme.models import Indicator, Organisation, Population, Region
from reporting.figures import services as figures_services
from reporting.figures.access import entry_rights
from reporting.imports import services as imports_services
from reporting.models import Figure, ProgressReport, ReportStatus
from tests.permissions import assert_permissions, client_for

from ..conftest import LONG, run_import
from ..factories import make_measure, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def zob(reference_data):
    return Region.objects.get(code="zuidoost-brabant")


@pytest.fixture
def helmond(reference_data):
    return Organisation.objects.get(name="Helmond")


@pytest.fixture
def vt_figures(periods, zob):
    """Meldingen of Q1-Q4 2024: Helmond 40 each quarter (100,000 inhabitants), Asten 3 each quarter (small)."""
    indicator = Indicator.objects.get(code="meldingen-vt")
    people = {"Helmond": 100000, "Asten": 20000}
    for name, value in {"Helmond": 40, "Asten": 3}.items():
        organisation = Organisation.objects.get(name=name)
        Population.objects.filter(organisation=organisation).delete()
        Population.objects.create(organisation=organisation, year=2024, inhabitants=people[name])
        for number in (1, 2, 3, 4):
            Figure.objects.create(indicator=indicator, organisation=organisation, period=period(2024, number),
                                  source="veilig_thuis", value=value)
    return indicator


def _range():
    return {"period_from": period(2024, 1).pk, "period_to": period(2024, 4).pk}


# Permissions -----------------------------------------------------------------------------------------------------


def test_steering_dashboard_and_its_downloads_are_for_the_people_of_the_region(users, programme, zob):
    members = [users[name] for name in ("steering_group", "project_leader", "helmond", "veilig_thuis", "admin")]
    for url in (
        reverse("reporting:steering_dashboard", args=[zob.pk]),
        reverse("reporting:steering_chart_csv", args=[zob.pk, "health"]),
        reverse("reporting:steering_chart_csv", args=[zob.pk, "tijdlijn"]),
    ):
        assert_permissions(url, allowed=members, outside=[users["other_region"]], no_role=users["no_role"],
                           denied=[users["national"]], expect=200)
    assert_permissions(reverse("reporting:dashboard"), allowed=members, outside=[], no_role=users["no_role"],
                       denied=[users["national"]], expect=302,
                       location=reverse("reporting:steering_dashboard", args=[zob.pk]))


def test_municipality_page_is_for_its_region_and_not_for_the_national_team(users, programme, helmond):
    members = [users[name] for name in ("steering_group", "eindhoven", "veilig_thuis", "admin")]
    for url in (reverse("reporting:municipality_dashboard", args=[helmond.pk]),
                reverse("reporting:municipality_chart_csv", args=[helmond.pk, "meldingen-vt-per-1000"])):
        assert_permissions(url, allowed=members, outside=[users["other_region"]], no_role=users["no_role"],
                           denied=[users["national"]], expect=200)


def test_national_dashboard_and_downloads_are_for_the_national_team(users, programme, vt_figures):
    for url in (reverse("reporting:national_dashboard"), reverse("reporting:national_chart_csv", args=["op-koers"]),
                reverse("reporting:national_chart_csv", args=["per-1000"])):
        # Regional roles are refused (403), not "not found": the page exists, it is not theirs.
        assert_permissions(url, allowed=[users["national"], users["admin"]], outside=[], no_role=users["no_role"],
                           denied=[users["steering_group"], users["project_leader"], users["other_region"]], expect=200)


def test_a_bad_filter_value_is_ignored_and_explained_in_dutch(users, programme, zob):
    make_measure(title="Voorlichting", line=2)
    response = client_for(users["steering_group"]).get(reverse("reporting:steering_dashboard", args=[zob.pk]),
                                                       {"action_line": "999999", "period_from": "x"})
    assert response.status_code == 200
    assert response.context["filters"].action_line is None
    assert response.context["tiles"]["measures"] == 1
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_an_unknown_chart_is_not_found(users, programme, zob):
    response = client_for(users["steering_group"]).get(reverse("reporting:steering_chart_csv", args=[zob.pk, "x"]))
    assert response.status_code == 404


# What the pages show ---------------------------------------------------------------------------------------------


def test_steering_dashboard_shows_tiles_charts_tables_and_links_to_the_filtered_lists(users, programme, zob,
                                                                                    vt_figures):
    make_measure(title="Voorlichting", line=2, status="in_progress", health="at_risk")
    response = client_for(users["steering_group"]).get(reverse("reporting:steering_dashboard", args=[zob.pk]),
                                                       _range())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Dashboard Zuidoost-Brabant" in content
    line2 = programme.action_lines.get(number=2).pk
    assert f"/maatregelen/?action_line={line2}&amp;health=at_risk" in content or \
        f"/maatregelen/?action_line={line2}\\u0026health=at_risk" in content
    charts = response.context["charts"]
    assert {"status", "health", "goals", "tijdlijn", "meldingen-vt-aantal", "meldingen-vt-per-1000"} <= set(charts)
    per_1000 = charts["meldingen-vt-per-1000"]
    helmond_column = per_1000["header"].index("Helmond")
    # 40 per 100,000 inhabitants = 0,40 per 1,000; the region: 43 per 120,000 = 0,36 per 1,000.
    assert per_1000["rows"][0][helmond_column] == "0,40"
    assert per_1000["rows"][0][per_1000["header"].index("Zuidoost-Brabant als geheel")] == "0,36"
    assert 'vendor/plotly/plotly-portal.min.js' in content and "<script>" not in content and 'style="' not in content


def test_each_csv_download_holds_exactly_the_numbers_of_its_chart(users, programme, zob, vt_figures):
    client = client_for(users["steering_group"])
    page = client.get(reverse("reporting:steering_dashboard", args=[zob.pk]), _range())
    chart = page.context["charts"]["meldingen-vt-aantal"]
    response = client.get(reverse("reporting:steering_chart_csv", args=[zob.pk, "meldingen-vt-aantal"]), _range())
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == chart["header"]
    assert [line.split(";") for line in lines[1:]] == chart["rows"]


def test_the_region_sees_its_small_numbers_the_administrator_outside_it_does_not(users, programme, zob, vt_figures):
    url = reverse("reporting:steering_chart_csv", args=[zob.pk, "meldingen-vt-aantal"])
    inside = client_for(users["steering_group"]).get(url, _range()).content.decode("utf-8-sig")
    outside = client_for(users["admin"]).get(url, _range()).content.decode("utf-8-sig")
    header = inside.splitlines()[0].split(";")
    asten = header.index("Asten")
    assert inside.splitlines()[1].split(";")[asten] == "3"
    assert outside.splitlines()[1].split(";")[asten] == "<5"
    # The region's average is computed from its total rounded to fives, so it gives no 1-4 back but is shown.
    assert outside.splitlines()[1].split(";")[-1] not in ("", "afgeschermd", "<5")
    assert all(value in ("<5", "–") or int(value) % 5 == 0 for value in outside.splitlines()[1].split(";")[1:-1])


def test_the_cached_page_is_never_shown_to_a_viewer_who_may_see_something_else(users, programme, zob, vt_figures):
    """The page body is cached per state of the data; the key holds what decides what it shows. The region's
    steering group sees Asten's 3; the administrator outside the region, asking right after with the cache warm,
    sees "<5"; the project leader of the region then gets the region's own page again."""
    url = reverse("reporting:steering_dashboard", args=[zob.pk])
    asten_cell = '<th scope="row">Asten</th><td class="num">3</td>'
    hidden_cell = '<th scope="row">Asten</th><td class="num">&lt;5</td>'
    inside = client_for(users["steering_group"]).get(url, _range()).content.decode()
    outside = client_for(users["admin"]).get(url, _range()).content.decode()
    again = client_for(users["project_leader"]).get(url, _range()).content.decode()
    assert asten_cell in inside and hidden_cell not in inside
    assert hidden_cell in outside and asten_cell not in outside
    assert asten_cell in again and hidden_cell not in again


def test_national_team_sees_rounded_totals_and_only_approved_reports(users, programme, zob, vt_figures):
    approved = ProgressReport.objects.create(programme=programme, period=period(2023, 4), status=ReportStatus.APPROVED,
                                             created_by=users["project_leader"], snapshot={})
    draft = ProgressReport.objects.create(programme=programme, period=period(2024, 1),
                                          created_by=users["project_leader"])
    client = client_for(users["national"])
    response = client.get(reverse("reporting:national_dashboard"))
    content = response.content.decode()
    assert reverse("reporting:report_detail", args=[approved.pk]) in content
    assert reverse("reporting:report_detail", args=[draft.pk]) not in content
    assert "Concept" not in content
    text = client.get(reverse("reporting:national_chart_csv", args=["per-1000"])).content.decode("utf-8-sig")
    zob_row = next(line for line in text.splitlines() if line.startswith("Zuidoost-Brabant"))
    # Asten's 3s are in the region's total, which is rounded to fives, not hidden.
    assert "afgeschermd" not in zob_row and "<5" not in zob_row and "1,42" in zob_row
    # The approved report opens for the national team; the draft does not exist for them.
    assert client.get(reverse("reporting:report_detail", args=[approved.pk])).status_code == 200
    assert client.get(reverse("reporting:report_detail", args=[draft.pk])).status_code == 404


def test_municipality_page_shows_participation_since_when_and_prints(users, programme, helmond, vt_figures):
    mda = make_measure(title="Pilot MDA++", line=2, status="in_progress", health="on_track")
    eindhoven = Organisation.objects.get(name="Eindhoven")
    participation_services.participation_add(measure=mda, organisation=eindhoven, joined_on="2023-01-01",
                                             acting_user=users["project_leader"])
    participation_services.participation_add(measure=mda, organisation=helmond, joined_on="2023-09-01",
                                             acting_user=users["project_leader"])
    # Asten joins on Helmond's day: a third participant, no third intake date, and not before Helmond.
    participation_services.participation_add(measure=mda, organisation=Organisation.objects.get(name="Asten"),
                                             joined_on="2023-09-01", acting_user=users["project_leader"])
    # A measure Helmond joined alone is not phased.
    participation_services.participation_add(measure=make_measure(title="Alleen Helmond"), organisation=helmond,
                                             joined_on="2023-02-01", left_on="2024-03-31",
                                             acting_user=users["project_leader"])
    response = client_for(users["eindhoven"]).get(reverse("reporting:municipality_dashboard", args=[helmond.pk]),
                                                  _range())
    content = response.content.decode()
    assert "Pilot MDA++" in content and "1 september 2023" in content
    assert ("<strong>Pilot MDA++</strong>: Helmond neemt deel sinds 1 september 2023, als nummer 2 van 3 deelnemers; "
            "de eerste begon op 1 januari 2023.") in content
    assert "Alleen Helmond" in content and "<strong>Alleen Helmond</strong>" not in content
    assert "<td>1 februari 2023</td>\n        <td>31 maart 2024</td>" in content  # since and until
    assert "<td>1 september 2023</td>\n        <td>–</td>" in content  # no end
    assert "data-print-page" in content and "css/dashboards.css" in content
    chart = next(c for c in response.context["charts"] if c["key"] == "meldingen-vt-per-1000")
    assert chart["header"][1] == "Helmond" and chart["rows"][0][1] == "0,40"


def test_menu_items_per_role(users, programme):
    steering = client_for(users["steering_group"]).get("/").content.decode()
    national = client_for(users["national"]).get("/").content.decode()
    dashboard, overview = (f'href="{reverse(name)}"' for name in ("reporting:dashboard",
                                                                  "reporting:national_dashboard"))
    assert dashboard in steering and overview not in steering
    assert overview in national and dashboard not in national
    # The steering group's home page opens with its dashboard.
    assert "Dashboard openen" in steering


# Never stale -----------------------------------------------------------------------------------------------------


def _cell(client, zob, key, column, row=0):
    chart = client.get(reverse("reporting:steering_dashboard", args=[zob.pk]), _range()).context["charts"][key]
    return chart["rows"][row][chart["header"].index(column)]


def test_a_figure_entered_by_hand_shows_at_once(users, programme, zob, vt_figures):
    client = client_for(users["steering_group"])
    assert _cell(client, zob, "meldingen-vt-aantal", "Best") == "–"
    best = Organisation.objects.get(name="Best")
    figures_services.figures_save_grid(
        rights=entry_rights(users["veilig_thuis"], zob), period=period(2024, 1), source="veilig_thuis",
        cells=[figures_services.GridCell(municipality_id=best.pk, indicator_id=vt_figures.pk, text="57", original="",
                                 version=0)],
        acting_user=users["veilig_thuis"],
    )
    assert _cell(client, zob, "meldingen-vt-aantal", "Best") == "57"


def test_an_imported_figure_and_its_undo_show_at_once(users, programme, zob, vt_figures):
    client = client_for(users["steering_group"])
    assert _cell(client, zob, "meldingen-vt-aantal", "Best") == "–"
    content = "gemeente;periode;indicator;waarde\nBest;2024KW01;meldingen-vt;61\n"
    figure_import = run_import(users["veilig_thuis"], zob, content, mapping=LONG)
    assert _cell(client, zob, "meldingen-vt-aantal", "Best") == "61"
    imports_services.figure_import_undo(figure_import=figure_import, acting_user=users["veilig_thuis"])
    assert _cell(client, zob, "meldingen-vt-aantal", "Best") == "–"


def test_a_changed_measure_shows_at_once(users, programme, zob, periods):
    measure = make_measure(title="Campagne", line=1, status="in_progress", health="on_track", owner="Helmond")
    client = client_for(users["steering_group"])
    assert _cell(client, zob, "health", "Risico") == "0"
    update_services.measure_update_post(measure=measure, acting_user=users["helmond"], period=period(2024, 1),
                                        status="in_progress", health="at_risk", progress=50, narrative="Vertraging.")
    assert _cell(client, zob, "health", "Risico") == "1"
    measure = Measure.objects.get(pk=measure.pk)
    measure.health = "off_track"
    measure.save()  # even a save that passes no service (the admin, a shell)
    assert _cell(client, zob, "health", "Uit koers") == "1"


# Query counts ----------------------------------------------------------------------------------------------------


def _queries(client, url, params=None, cold=True):
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(captured)


def _counts(users, zob, helmond):
    from reporting.dashboards.access import dashboard_regions

    bench = dashboard_regions(users["admin"]).filter(code__startswith="bench-").first()
    pages = [
        (users["steering_group"], reverse("reporting:steering_dashboard", args=[zob.pk])),
        (users["admin"], reverse("reporting:steering_dashboard", args=[bench.pk])),
        (users["steering_group"], reverse("reporting:municipality_dashboard", args=[helmond.pk])),
        (users["national"], reverse("reporting:national_dashboard")),
        (users["national"], reverse("reporting:national_chart_csv", args=["per-1000"])),
    ]
    result = []
    for user, url in pages:
        client = client_for(user)
        client.get(url)  # sessions and the like settle
        result.append((_queries(client, url, cold=True), _queries(client, url, cold=False)))
    return result


def test_query_counts_stay_the_same_from_demo_size_to_a_larger_country(users, programme, zob, helmond):
    from reporting.demo.national import Scale
    from reporting.management.commands.generate_national_data import generate

    generate(Scale.demo())
    small = _counts(users, zob, helmond)
    generate(Scale(regions=5, municipalities=60, measures=200, first_year=2021, last_year=2024, indicators=5,
                   reports=120, bottlenecks=150))
    assert Region.objects.filter(code__startswith="bench-").count() == 3
    larger = _counts(users, zob, helmond)
    assert Figure.objects.count() > 3 * 4 * 30 * 8
    assert small == larger
    for cold, warm in larger:
        assert warm < cold  # warm pages read the cache, not the aggregates


def test_generate_command_output(reference_data):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("generate_national_data", "--demo-size", stdout=out)
    assert "Figures:" in out.getvalue() and "Bottlenecks: 60" in out.getvalue()
    assert Decimal(Figure.objects.filter(source="demo").count()) > 0


def test_a_cbs_history_and_one_quarter_typed_in_later_both_show_each_with_its_source(users, programme, zob,
                                                                                       helmond):
    """A newer quarter from another source never hides the older periods."""
    quarters = [f"{year}KW0{number}" for year in (2023, 2024) for number in (1, 2, 3, 4)]
    content = "\ufeff" + '"ID";"RegioS";"Perioden";"Meldingen Veilig Thuis"\r\n' + "".join(
        f'{index};"GM0794    ";"{quarter}";"{300 + index}"\r\n' for index, quarter in enumerate(quarters, start=1))
    run_import(users["veilig_thuis"], zob, content, file_name="84850NED.csv", source="cbs_statline")
    indicator = Indicator.objects.get(code="meldingen-vt")
    figures_services.figures_save_grid(
        rights=entry_rights(users["veilig_thuis"], zob), period=period(2025, 1), source="veilig_thuis",
        cells=[figures_services.GridCell(municipality_id=helmond.pk, indicator_id=indicator.pk, text="350",
                                         original="", version=0)],
        acting_user=users["veilig_thuis"],
    )
    window = {"period_from": period(2023, 1).pk, "period_to": period(2025, 1).pk}
    client = client_for(users["steering_group"])
    expected = [f"{300 + index} (CBS StatLine)" for index in range(1, 9)] + ["350 (registratie Veilig Thuis)"]
    for url in (reverse("reporting:steering_dashboard", args=[zob.pk]),
                reverse("reporting:municipality_dashboard", args=[helmond.pk])):
        response = client.get(url, window)
        charts = response.context["charts"]
        chart = next(c for c in (charts.values() if isinstance(charts, dict) else charts)
                     if c["key"] == "meldingen-vt-aantal")
        column = chart["header"].index("Helmond")
        assert [row[column] for row in chart["rows"]] == expected, url
        helmond_trace = next(t for t in chart["figure"]["data"] if t["name"] == "Helmond")
        assert helmond_trace["text"][0] == "301 · CBS StatLine"
        assert helmond_trace["text"][-1] == "350 · registratie Veilig Thuis"


def test_national_overview_counts_a_cbs_history_and_a_quarter_typed_in_later_each_with_its_source(
        users, programme, zob, helmond):
    """The year of a region combines the best source of each quarter, as the steering charts do: CBS for the first
    three quarters, Veilig Thuis's own entry for the fourth. One source for the whole year would have shown only
    the typed-in quarter (Veilig Thuis comes first in the order of sources) and lost the CBS history."""
    Population.objects.filter(organisation=helmond).delete()
    Population.objects.create(organisation=helmond, year=2024, inhabitants=100000)
    content = "\ufeff" + '"ID";"RegioS";"Perioden";"Meldingen Veilig Thuis"\r\n' + "".join(
        f'{number};"GM0794    ";"2024KW0{number}";"{300 + number}"\r\n' for number in (1, 2, 3))
    run_import(users["veilig_thuis"], zob, content, file_name="84850NED.csv", source="cbs_statline")
    indicator = Indicator.objects.get(code="meldingen-vt")
    figures_services.figures_save_grid(
        rights=entry_rights(users["veilig_thuis"], zob), period=period(2024, 4), source="veilig_thuis",
        cells=[figures_services.GridCell(municipality_id=helmond.pk, indicator_id=indicator.pk, text="350",
                                         original="", version=0)],
        acting_user=users["veilig_thuis"],
    )
    client = client_for(users["national"])
    page = client.get(reverse("reporting:national_dashboard"))
    assert page.status_code == 200
    text = client.get(reverse("reporting:national_chart_csv", args=["per-1000"])).content.decode("utf-8-sig")
    zob_row = next(line for line in text.splitlines() if line.startswith("Zuidoost-Brabant"))
    column = text.splitlines()[0].split(";").index("Meldingen Veilig Thuis")
    # 301 + 302 + 303 + 350 = 1,256, published rounded to 1,255: 12.55 per 1,000 of Helmond's 100,000.
    assert zob_row.split(";")[column] == "12,55 (registratie Veilig Thuis, CBS StatLine)"
    assert "<td class=\"num\">12,55 (registratie Veilig Thuis, CBS StatLine)</td>" in page.content.decode()


def test_home_card_counts_in_singular_and_plural(users, programme):
    """'1 knelpunten geëscaleerd' and '1 maatregelen': one of each reads in the singular."""
    from django.utils import timezone

    from reporting.models import Bottleneck

    cache.clear()
    measure = make_measure(programme, line=1, title="Enige maatregel")
    Bottleneck.objects.create(programme=programme, measure=measure, title="Knelpunt", description="x",
                              status="escalated", raised_by=users["project_leader"], escalated_at=timezone.now())
    page = client_for(users["steering_group"]).get("/").content.decode()
    assert "<strong>1</strong> knelpunt geëscaleerd naar de stuurgroep" in page
    assert "<strong>1</strong> maatregel<" in page


def test_municipality_page_draws_the_country_beside_the_region_rounded_and_one_source_per_region(
        users, programme, helmond, vt_figures, other_region):
    """Two regions: Zuidoost-Brabant (Helmond 40 and Asten 3 a quarter, 120,000 inhabitants) and Hart van Brabant
    (Tilburg, 224,000). Tilburg has Veilig Thuis's 100 and a municipal 999 in Q1 (only the better source counts)
    and only a municipal 120 in Q2. The country: Q1 143 -> 145 rounded -> 0.42 per 1,000; Q2 163 -> 165 -> 0.48."""
    tilburg = Organisation.objects.get(name="Tilburg")
    for number, source, value in ((1, "veilig_thuis", 100), (1, "municipality", 999), (2, "municipality", 120)):
        Figure.objects.create(indicator=vt_figures, organisation=tilburg, period=period(2024, number), source=source,
                              value=value)
    response = client_for(users["helmond"]).get(reverse("reporting:municipality_dashboard", args=[helmond.pk]),
                                                _range())
    assert response.status_code == 200
    chart = next(c for c in response.context["charts"] if c["key"] == "meldingen-vt-per-1000")
    country = chart["header"].index("Nederland als geheel")
    region = chart["header"].index("Zuidoost-Brabant als geheel")
    assert [row[country] for row in chart["rows"]] == ["0,42", "0,48", "0,38", "0,38"]
    assert [row[region] for row in chart["rows"]] == ["0,36"] * 4  # the region's own line stays exact: 43/120,000
    [trace] = [t for t in chart["figure"]["data"] if t["name"] == "Nederland als geheel"]
    assert trace["y"] == [0.42, 0.48, 0.38, 0.38] and trace["line"]["dash"] == "dash"
    # The same line on the steering group's chart.
    page = client_for(users["steering_group"]).get(reverse("reporting:steering_dashboard", args=[helmond.region_id]),
                                                   _range())
    rows = page.context["charts"]["meldingen-vt-per-1000"]
    assert [row[rows["header"].index("Nederland als geheel")] for row in rows["rows"]] == ["0,42", "0,48", "0,38",
                                                                                          "0,38"]
