"""Time the dashboards as real requests under production settings, beside the SQL floor of the same queries.

Run from any settings, the command runs itself again under ghnt_portal.settings.production (see _benchmarking).
For each size the data set is generated (generate_national_data), two benchmark users log in through the login
page, and each dashboard is requested through Django's test client over HTTPS, with the whole middleware stack:

- cold cache: the dashboard cache cleared before each request (median of --requests);
- warm cache: the same request again and again (median of --requests).

Every response must be a 200; anything else stops the benchmark with an error. The SQL is captured in separate,
untimed requests (so capturing costs the timings nothing).

The floor is one number per dashboard: the hand-written SQL that computes its aggregates, taken as the queries the
view issues with a cold cache (its access check, the selectors, the querysets the template evaluates; not the
middleware's session, user and second-factor look-ups and the session save), replayed with their parameters on a
warm database. It is what the page would cost without Django and without its cache. The issue's targets compare
both requests with it: a cold request within 2x, a warm one within 1.5x. As a stricter extra, a warm request is also
compared with its own view queries replayed (the access check and the cache's fingerprint), which is what a warm
request cannot beat.

Requests and floors are measured side by side: after one untimed replay of each (buffers and plans warm), every timed
request is followed by a timed replay of its floor, and the medians are compared. On a shared machine whose load
changes from one second to the next, a floor timed in a burst of its own could be measured under another load than
the requests it is divided into.
"""

import inspect
import statistics
import sys
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import resolve, reverse

from programme.models import Membership, Organisation, OrganisationKind, Region, Role
from reporting.demo.national import PREFIX, Scale
from reporting.management.commands._benchmarking import (
    CheckedClient,
    log_in,
    rerun_under_production,
    under_production_settings,
)
from reporting.management.commands.generate_national_data import generate


def _users(region: Region):
    """A steering group member of `region` and a national team member, created for the benchmark."""
    users = get_user_model().objects
    municipality = Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY).order_by("pk").first()
    national_org = Organisation.objects.filter(kind=OrganisationKind.NATIONAL).first() or Organisation.objects.create(
        name="Landelijk programmateam (benchmark)", kind=OrganisationKind.NATIONAL)
    steering, _created = users.get_or_create(username="benchmark-stuurgroep")
    Membership.objects.filter(user=steering).delete()
    Membership.objects.create(user=steering, organisation=municipality, role=Role.STEERING_GROUP)
    national, _created = users.get_or_create(username="benchmark-landelijk")
    Membership.objects.get_or_create(user=national, organisation=national_org, role=Role.NATIONAL_TEAM)
    return {"steering": steering, "national": national}, municipality


def dashboard_pages(region: Region, municipality: Organisation) -> list[tuple[str, str, str]]:
    """(dashboard, which benchmark user, url) of every page measured."""
    return [
        ("steering group", "steering", reverse("reporting:steering_dashboard", args=[region.pk])),
        ("municipality", "steering", reverse("reporting:municipality_dashboard", args=[municipality.pk])),
        ("national", "national", reverse("reporting:national_dashboard")),
    ]


@contextmanager
def capture(view_code):
    """Every query of the requests inside, with its parameters, and whether the view function issued it."""
    queries = []

    def record(execute, sql, params, many, context):
        frame, in_view = sys._getframe(1), False
        while frame is not None and not in_view:
            in_view, frame = frame.f_code is view_code, frame.f_back
        queries.append({"sql": sql, "params": params, "many": many, "in_view": in_view})
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield queries


def replay(queries: list[dict]) -> float:
    """The time in milliseconds of running `queries` once more, with their parameters, fetching every row."""
    for query in queries:
        if not query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
            raise CommandError(f"The floor would replay a write: {query['sql'][:80]} ...")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query["sql"], query["params"])
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def measure(client: CheckedClient, url: str, requests: int) -> dict:
    view_code = inspect.unwrap(resolve(url).func).__code__
    client.get(url)  # the connection, the templates, the code paths: loaded once
    # The SQL of one cold-cache and one warm-cache request, captured apart from the timed ones.
    cache.clear()
    with capture(view_code) as cold_queries:
        client.get(url)
    with capture(view_code) as warm_queries:
        client.get(url)
    floor_queries = [q for q in cold_queries if q["in_view"]]
    own_queries = [q for q in warm_queries if q["in_view"]]
    for queries in (floor_queries, own_queries):
        replay(queries)  # untimed: the database's buffers and plans warmed
    cold, warm, floor, own = [], [], [], []
    for _index in range(requests):
        cache.clear()
        cold.append(client.get(url)[1])
        floor.append(replay(floor_queries))
    client.get(url)  # fills the cache
    for _index in range(requests):
        warm.append(client.get(url)[1])
        own.append(replay(own_queries))
        floor.append(replay(floor_queries))
    return {
        "cold": statistics.median(cold), "warm": statistics.median(warm),
        "floor": statistics.median(floor), "warm_own_floor": statistics.median(own),
        "cold_queries": len(cold_queries), "warm_queries": len(warm_queries),
        "cold_floor_queries": len(floor_queries), "warm_floor_queries": len(own_queries),
    }


class Command(BaseCommand):
    help = "Benchmark the dashboards under production settings at demo and national size, beside their SQL floor."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="Timed requests per page and cache state.")
        parser.add_argument("--sizes", default="demo,national",
                            help="Comma separated: demo, national, or current (the data as it is, no generation).")
        parser.add_argument("--current-settings", action="store_true",
                            help="Run under the settings already loaded instead of production settings (tests).")

    def handle(self, *args, **options):
        if not (options["current_settings"] or under_production_settings()):
            rerun_under_production("benchmark_dashboards", [
                "--requests", str(options["requests"]), "--sizes", options["sizes"]], self.stdout.write)
            return
        rows, checked = [], 0
        for size in options["sizes"].split(","):
            if size != "current":
                self.stdout.write(f"Generating the {size} data set ...")
                generate(Scale.demo() if size == "demo" else Scale(), write=lambda text: self.stdout.write("  " + text))
            region = Region.objects.filter(code__startswith=PREFIX).order_by("code").first()
            if region is None:
                raise CommandError("No generated data set: run generate_national_data or give --sizes demo.")
            users, municipality = _users(region)
            clients = {}
            for key, user in users.items():
                clients[key] = CheckedClient()
                log_in(clients[key], user)
            for name, user_key, url in dashboard_pages(region, municipality):
                self.stdout.write(f"  {size} {name}: {url}")
                rows.append((size, name, measure(clients[user_key], url, options["requests"])))
            checked += sum(client.checked for client in clients.values())
        self._report(rows, checked, options)

    def _report(self, rows, checked, options):
        from django.conf import settings

        write = self.stdout.write
        write("")
        write(f"Settings: {settings.SETTINGS_MODULE} (DEBUG {settings.DEBUG}); database: {connection.vendor}; "
              f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}.")
        write(f"{options['requests']} timed requests per page and cache state (median), each followed by a timed "
              "replay of its floor. Aggregates floor: the view's queries of a cold-cache request (what computes the "
              "dashboard's aggregates) replayed, median of its replays beside the cold and the warm requests; both "
              "requests are divided by it. Extra: the warm request's own view queries (access check, fingerprint) "
              "replayed beside each warm request.")
        write("| size | dashboard | aggregates floor (ms) | cold cache: request (ms) | cold / floor (issue: < 2x) "
              "| warm cache: request (ms) | warm / floor (issue: < 1.5x) | extra: warm request's own queries "
              "replayed (ms) | extra: warm / its own queries | queries per request, cold / warm (of which the "
              "view's) |")
        write("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for size, name, r in rows:
            write(f"| {size} | {name} | {r['floor']:.1f} | {r['cold']:.1f} | {r['cold'] / r['floor']:.2f}x | "
                  f"{r['warm']:.1f} | {r['warm'] / r['floor']:.2f}x | {r['warm_own_floor']:.1f} | "
                  f"{r['warm'] / r['warm_own_floor']:.2f}x | {r['cold_queries']} ({r['cold_floor_queries']}) / "
                  f"{r['warm_queries']} ({r['warm_floor_queries']}) |")
        write(self.style.SUCCESS(f"Statuses checked: {checked} responses, each the expected one "
                                 "(302 after each login, 200 for every dashboard request)."))
