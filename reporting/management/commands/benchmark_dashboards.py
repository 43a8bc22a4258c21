"""Measure every dashboard at demo size and at national size: warm and cold times, SQL queries, and the SQL floor.

For each size the data set is generated (generate_national_data), then each dashboard is requested in process
through Django's test client as a logged-in user: one cold request (cache cleared), then `--requests` warm ones
(median). The floor is the time the database needs for exactly the SQL of the cold request, replayed on its
own: what the page cannot be faster than without a cache.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Membership, Organisation, OrganisationKind, Region, Role
from reporting.demo.national import PREFIX, Scale
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
    return steering, national, municipality


def _replay(queries: list[dict], rounds: int = 5) -> float:
    """Median time of running the captured SQL statements once more, in milliseconds."""
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for query in queries:
                cursor.execute(query["sql"])
                if cursor.description:
                    cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(client: Client, url: str, requests: int) -> dict:
    cache.clear()
    with CaptureQueriesContext(connection) as cold_queries:
        started = time.perf_counter()
        response = client.get(url)
        cold = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    cold_sql = list(cold_queries.captured_queries)  # before the warm requests reset the query log
    warm_times = []
    for _index in range(requests):
        reset_queries()
        with CaptureQueriesContext(connection) as warm_queries:
            started = time.perf_counter()
            client.get(url)
            warm_times.append((time.perf_counter() - started) * 1000)
    try:
        floor = _replay(cold_sql)
    except Exception:  # a statement Django's SQLite backend cannot print back exactly  # noqa: BLE001
        floor = float("nan")
    return {"cold": cold, "warm": statistics.median(warm_times), "cold_queries": len(cold_sql),
            "warm_queries": len(warm_queries), "floor": floor}


class Command(BaseCommand):
    help = "Benchmark the dashboards at demo size and at national size (generates both data sets)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="Warm requests per page (median).")
        parser.add_argument("--sizes", default="demo,national",
                            help="Comma separated: demo, national, or current (the data as it is, no generation).")

    def handle(self, *args, **options):
        rows = []
        for size in options["sizes"].split(","):
            if size != "current":
                self.stdout.write(f"Generating the {size} data set ...")
                generate(Scale.demo() if size == "demo" else Scale(), write=lambda text: self.stdout.write("  " + text))
            region = Region.objects.filter(code__startswith=PREFIX).order_by("code").first()
            steering, national, municipality = _users(region)
            pages = [
                ("steering group", steering, reverse("reporting:steering_dashboard", args=[region.pk])),
                ("municipality", steering, reverse("reporting:municipality_dashboard", args=[municipality.pk])),
                ("national", national, reverse("reporting:national_dashboard")),
            ]
            for name, user, url in pages:
                client = Client(SERVER_NAME="127.0.0.1")
                client.force_login(user)
                client.get(url)  # the session, the connection, the templates: loaded once
                rows.append((size, name, measure(client, url, options["requests"])))
        self.stdout.write("")
        self.stdout.write(f"Database: {connection.vendor}; {options['requests']} warm requests per page.")
        self.stdout.write("| size | dashboard | warm median (ms) | cold (ms) | SQL queries warm / cold "
                          "| SQL floor (ms) |")
        self.stdout.write("|---|---|---:|---:|---:|---:|")
        for size, name, result in rows:
            self.stdout.write(
                f"| {size} | {name} | {result['warm']:.0f} | {result['cold']:.0f} | "
                f"{result['warm_queries']} / {result['cold_queries']} | {result['floor']:.1f} |"
            )
