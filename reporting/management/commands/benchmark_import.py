"""Time a national-scale import (342 municipalities x 20 indicators x 15 quarters) on the current database.

Creates its own benchmark region, municipalities, indicators and user, imports a generated CSV (preview, then
confirm), imports the same file again (nothing may change), then a file with every value changed, and reports
the time of each step and the peak memory of the process. Removes what it created unless --keep is given.
"""

import io
import resource
import time
import tracemalloc

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from programme.models import (
    ChangeRecord,
    Indicator,
    Membership,
    Organisation,
    OrganisationKind,
    PeriodKind,
    Region,
    ReportingPeriod,
    Role,
)
from programme.services.periods import reporting_periods_generate
from reporting.figures.access import entry_rights
from reporting.imports import services
from reporting.models import Figure, FigureChange, FigureImport

REGION_CODE = "benchmark-import"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


class Command(BaseCommand):
    help = "Benchmark a 100,000-row figures import (preview and confirm) on the current database."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=342)
        parser.add_argument("--indicators", type=int, default=20)
        parser.add_argument("--quarters", type=int, default=15)
        parser.add_argument("--tracemalloc", action="store_true", help="Also trace Python allocations (slower).")
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark region and its figures.")

    def handle(self, *args, **options):
        self._cleanup()
        user, region, indicators, periods, municipalities = self._setup(options)
        rows = len(municipalities) * len(indicators) * len(periods)
        self.stdout.write(f"Database: {Figure.objects.db} ({_vendor()}); {rows} rows per file.")
        if options["tracemalloc"]:
            tracemalloc.start()
        results = []
        for label, offset in (("first import", 0), ("same file again", 0), ("every value changed", 1)):
            content = _csv(municipalities, indicators, periods, offset)
            started = time.perf_counter()
            figure_import = services.figure_import_upload(
                acting_user=user, region=region, file_name=f"benchmark-{offset}.csv", content=content,
                source="veilig_thuis",
            )
            figure_import = services.figure_import_preview(
                figure_import=figure_import, rights=entry_rights(user, region), acting_user=user,
                mapping={"municipality": "gemeente", "period": "periode", "indicator": "indicator",
                         "value": "waarde", "columns": {}},
            )
            preview = time.perf_counter() - started
            started = time.perf_counter()
            services.figure_import_confirm(figure_import=figure_import, acting_user=user)
            confirm = time.perf_counter() - started
            results.append((label, figure_import, preview, confirm))
            self.stdout.write(
                f"{label:<20} preview {preview:6.2f} s, confirm {confirm:6.2f} s, total {preview + confirm:6.2f} s "
                f"(new {figure_import.created_count}, changed {figure_import.updated_count}, "
                f"unchanged {figure_import.unchanged_count}, rejected {figure_import.rejected_count}); "
                f"peak RSS so far {peak_rss_mb():.0f} MB"
            )
        started = time.perf_counter()
        services.figure_import_undo(figure_import=results[-1][1], acting_user=user)
        self.stdout.write(f"undo of the last import: {time.perf_counter() - started:.2f} s")
        if options["tracemalloc"]:
            _current, peak = tracemalloc.get_traced_memory()
            self.stdout.write(f"tracemalloc peak of Python allocations: {peak / 1024 / 1024:.0f} MB")
        self.stdout.write(self.style.SUCCESS(f"Peak memory (RSS) of the process: {peak_rss_mb():.0f} MB"))
        if not options["keep"]:
            self._cleanup()

    def _setup(self, options):
        with transaction.atomic():
            region = Region.objects.create(name="Benchmarkregio", code=REGION_CODE)
            office = Organisation.objects.create(name="Benchmark projectbureau", kind=OrganisationKind.OTHER,
                                                 region=region)
            user, _created = get_user_model().objects.get_or_create(username="benchmark-import")
            Membership.objects.get_or_create(user=user, organisation=office, role=Role.PROJECT_LEADER)
            municipalities = Organisation.objects.bulk_create(
                Organisation(name=f"Benchmarkgemeente {n:03d}", kind=OrganisationKind.MUNICIPALITY, region=region,
                             cbs_code=f"GM{5000 + n:04d}")
                for n in range(options["municipalities"])
            )
            indicators = Indicator.objects.bulk_create(
                Indicator(code=f"benchmark-{n:02d}", name=f"Benchmarkindicator {n:02d}", unit="count",
                          periodicity="quarter", supplier_kinds=["veilig_thuis"])
                for n in range(options["indicators"])
            )
            reporting_periods_generate(first_year=2021, last_year=2021 + (options["quarters"] + 3) // 4,
                                       kind=PeriodKind.QUARTER)
            periods = list(ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, year__gte=2021)
                           .order_by("start_date")[: options["quarters"]])
        return user, region, indicators, periods, municipalities

    def _cleanup(self):
        region = Region.objects.filter(code=REGION_CODE).first()
        if region is None:
            return
        with transaction.atomic():
            FigureChange.objects.filter(organisation__region=region).delete()
            imports = FigureImport.objects.filter(region=region)
            ChangeRecord.objects.filter(region=region).delete()
            imports.delete()
            Figure.objects.filter(organisation__region=region).delete()
            Indicator.objects.filter(code__startswith="benchmark-").delete()
            Membership.objects.filter(organisation__region=region).delete()
            Organisation.objects.filter(region=region).delete()
            region.delete()


def _csv(municipalities, indicators, periods, offset) -> bytes:
    out = io.StringIO()
    out.write("gemeente;periode;indicator;waarde\n")
    for m_index, municipality in enumerate(municipalities):
        for i_index, indicator in enumerate(indicators):
            for p_index, period in enumerate(periods):
                value = (m_index * 7 + i_index * 13 + p_index * 3) % 500 + offset
                out.write(f"{municipality.cbs_code};{period.code};{indicator.code};{value}\n")
    return out.getvalue().encode("utf-8")


def _vendor() -> str:
    from django.db import connection

    return connection.vendor
