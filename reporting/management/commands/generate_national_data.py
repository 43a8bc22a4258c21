"""Generate the national-scale data set used by the benchmarks and the load test."""

import random
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection

from measures.models import Measure, MeasureUpdate, Participation
from programme.models import Population
from reporting.demo import national as national_data
from reporting.demo.selfscans import generate_national_scans
from reporting.models import Bottleneck, Figure, ProgressReport


def generate(scale: national_data.Scale, seed: int = 2026, write=lambda text: None) -> None:
    """The whole data set at a scale; also used by benchmark_dashboards and the tests."""
    rng = random.Random(seed)
    author, _created = get_user_model().objects.get_or_create(
        username="benchmark", defaults={"first_name": "Benchmark", "is_active": False}
    )
    started = time.perf_counter()
    framework = national_data.generate_framework(scale, rng)
    write(f"Framework: {len(framework['regions'])} regions, "
          f"{len(framework['municipalities'])} municipalities ({time.perf_counter() - started:.1f} s)")
    count = national_data.generate_measures(scale, rng, framework, author)
    write(f"Measures: {count} with {scale.updates_per_measure} updates each ({time.perf_counter() - started:.1f} s)")
    count = national_data.generate_figures(scale, rng)
    write(f"Figures: {count} ({time.perf_counter() - started:.1f} s)")
    count = national_data.generate_reports(scale, rng, framework, author)
    write(f"Progress reports: {count} ({time.perf_counter() - started:.1f} s)")
    count = national_data.generate_bottlenecks(scale, rng, framework, author)
    write(f"Bottlenecks: {count} ({time.perf_counter() - started:.1f} s)")
    count = generate_national_scans(framework["regions"], author)
    write(f"Self-scans: {count} ({time.perf_counter() - started:.1f} s)")
    # Bulk writes pass no service; the dashboards' data fingerprint sees them, and a cleared cache makes sure.
    cache.clear()
    tidy_up()


def tidy_up() -> None:
    """After replacing a quarter of a million rows, let PostgreSQL reclaim the dead ones and renew its statistics,
    as autovacuum would shortly: otherwise the first measurements run on a bloated table with stale plans."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (Figure, Measure, MeasureUpdate, Participation, ProgressReport, Bottleneck, Population):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


class Command(BaseCommand):
    help = "Generate a national-scale data set (30 regions, 342 municipalities, 3,500 measures, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--demo-size", action="store_true", help="A small data set of the same shape.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--remove", action="store_true", help="Only remove previously generated data.")

    def handle(self, *args, **options):
        if options["remove"]:
            national_data.remove_generated()
            cache.clear()
            self.stdout.write("Generated data removed.")
            return
        scale = national_data.Scale.demo() if options["demo_size"] else national_data.Scale()
        generate(scale, options["seed"], self.stdout.write)
