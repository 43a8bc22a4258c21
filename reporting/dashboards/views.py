"""The dashboards: the steering group's per region, a municipality's page, the national overview, and the CSV of
every chart. Views check access, read the (cached) data through dashboard_selectors, build the charts with the
pure dashboard_charts, and render; a CSV download builds the same Chart object as the page and returns its numbers.

The body of each page (everything below the menu) is rendered once per state of the data and cached as HTML
(cache.cached_html), keyed by what decides what it shows: the page's object, the raw filter choices, the
disclosure rule that applies to the viewer, and the regions the viewer may switch to. Access is checked on every
request before the cache is read.
"""

from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from measures.models import Health, MeasureStatus
from programme import calendar
from programme.access import require_regional_reader, scope_of
from programme.models import Organisation, Region
from reporting import charts
from reporting.dashboards import charts as build
from reporting.dashboards.access import (
    dashboard_regions,
    municipality_for_page,
    region_for_dashboard,
    require_national_reader,
)
from reporting.dashboards.cache import cached_html, data_fingerprint
from reporting.dashboards.forms import DashboardFilterForm, NationalFilterForm
from reporting.dashboards.selectors.common import Filters
from reporting.dashboards.selectors.municipality import municipality_data
from reporting.dashboards.selectors.national import national_data, national_totals, national_years
from reporting.dashboards.selectors.steering import other_dashboard_regions, steering_data, steering_options
from reporting.disclosure import Disclosure
from reporting.models import ReportStatus


def _query(**params) -> str:
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


def _links(region_id: int, filters: Filters) -> build.Links:
    measure_list = reverse("measures:measure_list")

    def measures(action_line=None, status=None, health=None):
        return measure_list + "?" + _query(action_line=action_line, status=status, health=health,
                                           municipality=filters.municipality)

    figure_table = reverse("reporting:figure_table", args=[region_id])
    # A chart has a link per point: filled in by formatting rather than by reverse() and urlencode() each time
    # (ids are numbers, sources are slugs, so nothing needs quoting).
    return build.Links(
        measures=measures,
        measure=_measure_url(),
        figures=lambda period, indicator, source: (
            f"{figure_table}?period={int(period)}&indicator={int(indicator)}&source={quote(source)}"),
        report=lambda pk: reverse("reporting:report_detail", args=[pk]),
    )


_PLACEHOLDER = 918273645


def _measure_url():
    """A measure's page, by formatting rather than by reverse() for each of many measures (ids need no quoting)."""
    measure_detail = reverse("measures:measure_detail", args=[_PLACEHOLDER])
    return lambda pk: measure_detail.replace(str(_PLACEHOLDER), str(int(pk)))


def _periods(options: dict, period_ids: list[int]) -> list[dict]:
    wanted = set(period_ids)
    return [q for q in options["quarters"] if q["id"] in wanted]


def _chosen(request, form_class) -> dict:
    """The filter choices as sent (valid or not): they decide the page, so they are part of its cache key."""
    return {name: request.GET.get(name, "") for name in form_class.base_fields}


def _csv_url(name: str, args: list, chosen: dict):
    """The CSV download of a chart, with the page's filter choices (and only those)."""
    query = _query(**chosen)
    return lambda key: reverse(name, args=[*args, key]) + (f"?{query}" if query else "")


def _viewer_regions(user) -> tuple:
    """What decides which other regions' dashboards a viewer is offered: every one, or their own regions'."""
    scope = scope_of(user)
    return ("all",) if scope.is_superuser else tuple(sorted(scope.region_ids))


def _csv(chart: charts.Chart, name: str) -> HttpResponse:
    response = HttpResponse(charts.csv_text(chart), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{chart.key}.csv"'
    return response


def _chart(all_charts: list[charts.Chart], key: str) -> charts.Chart:
    for chart in all_charts:
        if chart.key == key:
            return chart
    raise Http404


def _contexts(all_charts: list[charts.Chart], csv_url) -> dict:
    return {chart.key: charts.chart_context(chart, csv_url=csv_url(chart.key)) for chart in all_charts}


# Steering group ------------------------------------------------------------------------------------------------


@login_required
def dashboard_home(request):
    """The menu item: the dashboard of the user's (first) region."""
    require_regional_reader(request.user)
    region = dashboard_regions(request.user).first()
    if region is None:
        raise Http404
    return redirect("reporting:steering_dashboard", region=region.pk)


def _steering(request, region: Region, fingerprint: str, disclosure: Disclosure):
    """Everything of one steering dashboard; the page and each CSV download share it."""
    options = steering_options(region, fingerprint)
    form = DashboardFilterForm(request.GET, options=options)
    filters = form.filters()
    dashboard = steering_data(region, filters, options, fingerprint)
    form.show_range(dashboard["range"])
    links = _links(region.pk, filters)
    periods = _periods(options, dashboard["period_ids"])
    all_charts = [
        build.measures_by_status(dashboard["lines"], links),
        build.measures_by_health(dashboard["lines"], links),
        build.goals_chart(dashboard["goals"], disclosure),
        *build.figure_charts(dashboard["figures"], periods, links, disclosure, region.name),
        build.timeline_chart(dashboard["timeline"], links, calendar.today()),
    ]
    return options, form, filters, dashboard, all_charts


def _steering_region(request, region_pk: int) -> Region:
    require_regional_reader(request.user)
    return region_for_dashboard(request.user, region_pk)


@login_required
def steering_dashboard(request, region: int):
    region = _steering_region(request, region)
    fingerprint = data_fingerprint()
    disclosure = Disclosure.for_viewer(request.user, region.pk)
    chosen = _chosen(request, DashboardFilterForm)

    def body():
        options, form, filters, dashboard, all_charts = _steering(request, region, fingerprint, disclosure)
        chart_views = _contexts(all_charts, _csv_url("reporting:steering_chart_csv", [region.pk], chosen))
        tiles = dashboard["tiles"]
        return render_to_string("reporting/dashboards/_steering_body.html", {
            "region": region,
            "form": form,
            "reset_url": request.path,
            "filters": filters,
            "tiles": tiles,
            "tile_view": _tile_view(tiles, region.pk, filters),
            "charts": chart_views,
            "figure_charts": [chart_views[c.key] for c in all_charts if c.key not in {"status", "health", "goals",
                                                                                        "tijdlijn"}],
            "goal_rows": build.goal_rows(dashboard["goals"], disclosure),
            "other_regions": list(other_dashboard_regions(request.user, region).values("pk", "name")),
            "municipality_links": options["municipalities"],
        })

    parts = (region.pk, tuple(chosen.values()), disclosure.exact, _viewer_regions(request.user))
    return render(request, "reporting/dashboards/dashboard_steering.html", {
        "region": region, "body": cached_html("steering-page", parts, fingerprint, body)})


@login_required
def steering_chart_csv(request, region: int, key: str):
    region = _steering_region(request, region)
    disclosure = Disclosure.for_viewer(request.user, region.pk)
    _options, _form, _filters, _dashboard, all_charts = _steering(request, region, data_fingerprint(), disclosure)
    return _csv(_chart(all_charts, key), f"dashboard-{region.code}")


def _tile_view(tiles: dict, region_id: int, filters: Filters) -> dict:
    """Tile numbers with their labels and links, so the template stays simple."""
    with_health = tiles["with_health"]

    def share(health):
        return round(tiles["by_health"][health] * 100 / with_health) if with_health else None

    measure_list = reverse("measures:measure_list")
    report = tiles["report"]
    latest = tiles["latest_approved"]
    return {
        "shares": [
            {"health": health, "label": Health(health).label, "count": tiles["by_health"][health],
             "share": share(health),
             "url": measure_list + "?" + _query(health=health, action_line=filters.action_line,
                                                municipality=filters.municipality)}
            for health in build.HEALTH_ORDER
        ],
        "statuses": [
            {"status": status, "label": MeasureStatus(status).label, "count": tiles["by_status"][status],
             "url": measure_list + "?" + _query(status=status, action_line=filters.action_line,
                                                municipality=filters.municipality)}
            for status in build.STATUS_ORDER if tiles["by_status"][status]
        ],
        "report_period": build.period_label(tiles["report_period"]) if tiles["report_period"] else "",
        "report_status": report["status"] if report else "",
        "report_status_label": ReportStatus(report["status"]).label if report else "",
        "report_url": reverse("reporting:report_detail", args=[report["pk"]]) if report else "",
        "latest_approved_url": reverse("reporting:report_detail", args=[latest["pk"]]) if latest else "",
        "latest_approved_period": build.period_label({
            "kind": latest["period__kind"], "year": latest["period__year"], "number": latest["period__number"]})
        if latest else "",
        "delivery_period": build.period_label(tiles["delivery"]["period"]) if tiles["delivery"]["period"] else "",
        "bottleneck_url": reverse("reporting:bottleneck_list"),
    }


# Municipality page ---------------------------------------------------------------------------------------------


def _municipality_for(request, pk: int) -> Organisation:
    require_regional_reader(request.user)
    return municipality_for_page(request.user, pk)


def _municipality(request, municipality: Organisation, fingerprint: str, disclosure: Disclosure):
    region = municipality.region
    options = steering_options(region, fingerprint)
    form = DashboardFilterForm(request.GET, options=options, with_municipality=False, with_action_line=False)
    filters = form.filters()
    page = municipality_data(municipality, filters, options, fingerprint)
    form.show_range(page["range"])
    links = _links(region.pk, Filters(municipality=municipality.pk))
    all_charts = build.figure_charts(page["figures"], _periods(options, page["period_ids"]), links, disclosure,
                                     region.name)
    return form, page, all_charts


@login_required
def municipality_dashboard(request, pk: int):
    municipality = _municipality_for(request, pk)
    fingerprint = data_fingerprint()
    disclosure = Disclosure.for_viewer(request.user, municipality.region_id)
    chosen = {name: request.GET.get(name, "") for name in ("period_from", "period_to")}

    def body():
        form, page, all_charts = _municipality(request, municipality, fingerprint, disclosure)
        chart_views = _contexts(all_charts, _csv_url("reporting:municipality_chart_csv", [municipality.pk], chosen))
        participations = page["participations"]
        measure_url = _measure_url()
        for row in participations:
            row["url"] = measure_url(row["measure_id"])
            row["status_label"] = MeasureStatus(row["measure__status"]).label
            row["health_label"] = Health(row["measure__health"]).label if row["measure__health"] else ""
            row["order"] = row["joined_before"] + 1
            # Dates as the template's date filter writes them ("j F Y"), without a filter call per cell.
            row["since"], row["until"], row["first_since"] = (
                charts.format_date(row["joined_on"]), charts.format_date(row["left_on"]),
                charts.format_date(row["first_joined"]))
        return render_to_string("reporting/dashboards/_municipality_body.html", {
            "municipality": municipality,
            "region": municipality.region,
            "form": form,
            "reset_url": request.path,
            "population": page["population"],
            "participations": participations,
            "phased": [row for row in participations if row["intake_dates"] and row["intake_dates"] > 1],
            "charts": list(chart_views.values()),
            "measures_url": reverse("measures:measure_list") + "?" + _query(municipality=municipality.pk),
        })

    parts = (municipality.pk, tuple(chosen.values()), disclosure.exact)
    return render(request, "reporting/dashboards/dashboard_municipality.html", {
        "municipality": municipality, "body": cached_html("municipality-page", parts, fingerprint, body)})


@login_required
def municipality_chart_csv(request, pk: int, key: str):
    municipality = _municipality_for(request, pk)
    disclosure = Disclosure.for_viewer(request.user, municipality.region_id)
    _form, _page, all_charts = _municipality(request, municipality, data_fingerprint(), disclosure)
    return _csv(_chart(all_charts, key), f"gemeente-{municipality.cbs_code}")


# National ------------------------------------------------------------------------------------------------------


def _national(request, fingerprint: str):
    years = national_years(fingerprint)
    form = NationalFilterForm(request.GET, years=years["years"])
    year = form.chosen_year(years["years"])
    indicators = years["indicators"]
    national = national_data(year, indicators, fingerprint)
    links = build.Links(measures=lambda **kw: "", measure=lambda pk: "",
                        report=lambda pk: reverse("reporting:report_detail", args=[pk]))
    all_charts = [build.national_health_chart(national, links)]
    if year is not None:
        totals = national_totals(national, indicators)
        # The national overview leaves every region: always through the disclosure step.
        all_charts.insert(0, build.national_figures_chart(national, indicators, totals, links, Disclosure.outside()))
    return form, national, all_charts


@login_required
def national_dashboard(request):
    require_national_reader(request.user)
    fingerprint = data_fingerprint()
    chosen = _chosen(request, NationalFilterForm)

    def body():
        form, national, all_charts = _national(request, fingerprint)
        chart_views = _contexts(all_charts, _csv_url("reporting:national_chart_csv", [], chosen))
        rows = []
        for region in national["regions"]:
            report = national["reports"].get(region["pk"], {})
            measures = national["measures"].get(region["pk"])
            rows.append({
                "name": region["name"],
                "approved_this_period": bool(report.get("approved_this_period")),
                "latest_url": reverse("reporting:report_detail", args=[report["latest_approved"]])
                if report.get("latest_approved") else "",
                "latest_period": build.period_label(report["latest_approved_period"])
                if report.get("latest_approved_period") else "",
                "on_track": round(measures["on_track"] * 100 / measures["with_health"])
                if measures and measures["with_health"] else None,
            })
        return render_to_string("reporting/dashboards/_national_body.html", {
            "form": form,
            "reset_url": request.path,
            "year": national["year"],
            "charts": list(chart_views.values()),
            "rows": rows,
            "approved_count": sum(1 for row in rows if row["approved_this_period"]),
            "report_period": build.period_label(national["report_period"]) if national["report_period"] else "",
        })

    # Every national reader sees the same page: figures always through the outside disclosure rule.
    return render(request, "reporting/dashboards/dashboard_national.html", {
        "body": cached_html("national-page", tuple(chosen.values()), fingerprint, body)})


@login_required
def national_chart_csv(request, key: str):
    require_national_reader(request.user)
    _form, national, all_charts = _national(request, data_fingerprint())
    return _csv(_chart(all_charts, key), f"landelijk-{national['year']}")
