"""Time a national-scale figures import (342 municipalities x 20 indicators x 15 quarters) through its pages.

With --breakdown-forms=K every total is followed by K parts by form of violence (K benchmark forms are created):
--indicators=4 --breakdown-forms=4 is 342 x 4 x 15 x (1 + 4) = 102,600 rows, a fifth of them totals.

Run from any settings, the command runs itself again under ghnt_portal.settings.production (see _benchmarking).
It creates its own benchmark region, municipalities, indicators and project leader (with a second factor), and
writes the CSV files to disk first. Each import then runs in a fresh child process that logs in (the session
directly, then the second-factor page) and goes through the pages a person uses, each timed and its status checked:
upload (POST, multipart), column mapping (GET, then POST, which builds the preview), the preview (GET of the
import), confirm (POST) and the import page after it. Three imports: the first, the same file again (nothing
may change), a file with every value changed, followed by its undo. After each, the figures in the database are
counted and compared with what the import should have written.

Memory is the child's own peak for the import alone: its ru_maxrss (the high-water mark of its resident memory)
after the import minus the same figure before the upload, once Django is set up and the user is logged in. A
child per import, because ru_maxrss never goes down and the parent's peak would include the files it built and
the previous imports. The child only reads the prebuilt file; the peak does include the test client's copy of the
request body, as a server would hold the upload. Removes what it created unless --keep is given.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Sum
from django.urls import resolve, reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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
    ViolenceForm,
)
from programme.services.periods import reporting_periods_generate
from reporting.management.commands._benchmarking import (
    CheckedClient,
    log_in,
    rerun_under_production,
    under_production_settings,
)
from reporting.models import Figure, FigureBreakdown, FigureChange, FigureImport, FigureImportStatus

REGION_CODE = "benchmark-import"
USERNAME = "benchmark-import"
MAPPING = {"municipality": "gemeente", "period": "periode", "indicator": "indicator", "value": "waarde"}
# With --breakdown-forms the file has a column of the form of violence: empty on the total's row, a form on a part's.
BREAKDOWN_MAPPING = {**MAPPING, "breakdown": "geweldsvorm"}
FORM_PREFIX = "Benchmarkvorm"
RESULT_PREFIX = "BENCHMARK-RESULT "
# (label, file offset, the count the import must report, whether its undo is timed as well)
RUNS = (("first import", 0, "created_count", False), ("same file again", 0, "unchanged_count", False),
        ("every value changed", 1, "updated_count", True))
STEPS = ("upload", "mapping page", "mapping + preview", "preview page", "confirm", "import page", "undo")
# What a person waits for before seeing the preview, and after pressing confirm: the comparison's two steps.
PREVIEW_STEPS = ("upload", "mapping page", "mapping + preview", "preview page")
CONFIRM_STEPS = ("confirm", "import page")
# django-import-export on the same file: (label, dry run, the total it must report for every row). Not the file with
# every value changed: its bulk_update of 102,600 rows alone takes minutes.
COMPARISON_RUNS = (("first import: preview", True, "new"), ("first import: confirm", False, "new"),
                   ("same file again: preview", True, "skip"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def run_import(path: Path, *, undo: bool, breakdown: bool = False) -> dict:
    """One import through the pages, as the benchmark user; the time of each step (s) and the memory peak."""
    user = get_user_model().objects.get(username=USERNAME)
    region = Region.objects.get(code=REGION_CODE)
    client = CheckedClient()
    log_in(client, user, second_factor=_backup_code(user), login_page=False)
    baseline = peak_rss_mb()
    times = {}
    with path.open("rb") as upload:
        response, times["upload"] = client.post(reverse("reporting:import_upload"), {
            "file": upload, "region": region.pk, "source": "veilig_thuis"}, expect=302)
    match = resolve(response["Location"])
    if match.url_name != "import_mapping":
        raise CommandError(f"The upload led to {response['Location']}, not to the column mapping.")
    pk = match.kwargs["pk"]
    mapping_url = reverse("reporting:import_mapping", args=[pk])
    detail_url = reverse("reporting:import_detail", args=[pk])
    _response, times["mapping page"] = client.get(mapping_url)
    _response, times["mapping + preview"] = client.post(mapping_url, BREAKDOWN_MAPPING if breakdown else MAPPING,
                                                        expect=302, redirect_to=detail_url)
    _response, times["preview page"] = client.get(detail_url)
    _response, times["confirm"] = client.post(reverse("reporting:import_confirm", args=[pk]), expect=302,
                                              redirect_to=detail_url)
    _response, times["import page"] = client.get(detail_url)
    figure_import = FigureImport.objects.get(pk=pk)
    written = _figures_written()
    if undo:
        _response, times["undo"] = client.post(reverse("reporting:import_undo", args=[pk]), expect=302,
                                               redirect_to=detail_url)
    return {
        "times": {step: ms / 1000 for step, ms in times.items()}, "checked": client.checked,
        "peak_mb": peak_rss_mb() - baseline, "import": pk, "status": figure_import.status, **written,
        "counts": {name: getattr(figure_import, name)
                   for name in ("created_count", "updated_count", "unchanged_count", "rejected_count")},
    }


def run_import_export(path: Path, *, dry_run: bool, breakdown: bool = False) -> dict:
    """django-import-export's dry run or import of the file, timed; imported here, as only this needs it."""
    from reporting.management.commands import _import_export_comparison

    baseline = peak_rss_mb()
    started = time.perf_counter()
    totals = _import_export_comparison.run(path, region_code=REGION_CODE, dry_run=dry_run,
                                           mapping=BREAKDOWN_MAPPING if breakdown else MAPPING)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "totals": totals, "peak_mb": peak_rss_mb() - baseline, **_figures_written()}


def _remove_figures() -> None:
    """The benchmark region's figures and their history, so the next imports start from an empty table again."""
    with transaction.atomic():
        FigureChange.objects.filter(organisation__region__code=REGION_CODE).delete()
        FigureBreakdown.objects.filter(organisation__region__code=REGION_CODE).delete()
        Figure.objects.filter(organisation__region__code=REGION_CODE).delete()


def _figures_written() -> dict:
    """How many figures (totals and parts of breakdowns) the benchmark region has, and the sum of their values: the
    proof that an import wrote."""
    written, value_sum = 0, 0.0
    for model in (Figure, FigureBreakdown):
        figures = model.objects.filter(organisation__region__code=REGION_CODE)
        written += figures.count()
        value_sum += float(figures.aggregate(total=Sum("value"))["total"] or 0)
    return {"written": written, "value_sum": value_sum}


def _backup_code(user) -> str:
    """A one-time backup code: a TOTP code can be used once per 30 seconds, and the imports follow faster."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="benchmark")
    return StaticToken.objects.create(device=device, token=StaticToken.random_token()).token


class Command(BaseCommand):
    help = "Benchmark a 100,000-row figures import through its pages (upload, mapping, preview, confirm)."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=342)
        parser.add_argument("--indicators", type=int, default=20)
        parser.add_argument("--quarters", type=int, default=15)
        parser.add_argument("--breakdown-forms", type=int, default=0,
                            help="Add a form-of-violence column and this many parts per total (rows multiply by "
                                 "1 + this; --indicators=4 --breakdown-forms=4 keeps 102,600 rows).")
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark region and its figures.")
        parser.add_argument("--compare-import-export", action="store_true",
                            help="Import the same files with django-import-export too (a development dependency) "
                                 "and print both side by side.")
        parser.add_argument("--current-settings", action="store_true",
                            help="Run under the settings already loaded and in this process, instead of production "
                                 "settings and a child per import; no memory figure (tests).")
        parser.add_argument("--child", help=argparse.SUPPRESS)  # the file one child process imports
        parser.add_argument("--child-undo", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--child-breakdown", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--child-import-export", help=argparse.SUPPRESS)  # the file django-import-export reads
        parser.add_argument("--child-dry-run", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["child"]:
            result = run_import(Path(options["child"]), undo=options["child_undo"],
                                breakdown=options["child_breakdown"])
            self.stdout.write(RESULT_PREFIX + json.dumps(result))
            return
        if options["child_import_export"]:
            result = run_import_export(Path(options["child_import_export"]), dry_run=options["child_dry_run"],
                                       breakdown=options["child_breakdown"])
            self.stdout.write(RESULT_PREFIX + json.dumps(result))
            return
        if not (options["current_settings"] or under_production_settings()):
            rerun_under_production("benchmark_import", [
                f"--{name.replace('_', '-')}={options[name]}"
                for name in ("municipalities", "indicators", "quarters", "breakdown_forms")
            ] + (["--keep"] if options["keep"] else [])
              + (["--compare-import-export"] if options["compare_import_export"] else []), self.stdout.write)
            return
        self._cleanup()
        try:
            self._benchmark(options)
        finally:
            if not options["keep"]:
                self._cleanup()

    def _benchmark(self, options):
        municipalities, indicators, periods, forms = self._setup(options)
        rows = len(municipalities) * len(indicators) * len(periods) * (1 + len(forms))
        self.breakdown = bool(forms)
        in_process = options["current_settings"]
        with tempfile.TemporaryDirectory(prefix="ghnt-benchmark-import-") as folder:
            files = {}
            for offset in (0, 1):
                files[offset] = Path(folder) / f"benchmark-{offset}.csv"
                _write_csv(files[offset], municipalities, indicators, periods, offset, forms)
            self.stdout.write(f"Settings: {settings.SETTINGS_MODULE}; database: {connection.vendor}; {rows} rows "
                              f"per file ({files[0].stat().st_size / 1024 / 1024:.1f} MB).")
            results, first_sum = [], None
            for label, offset, count_name, undo in RUNS:
                result = (run_import(files[offset], undo=undo, breakdown=self.breakdown) if in_process
                          else self._in_child(files[offset], undo=undo))
                first_sum = result["value_sum"] if first_sum is None else first_sum
                # The second file has every value one higher than the first.
                self._check(label, result, rows, count_name, first_sum + offset * rows)
                if undo:
                    self._check_undone(label, result, first_sum)
                results.append((label, result))
                self.stdout.write(f"  {label}: {sum(result['times'].values()):.2f} s, {result['counts']}")
            compared = []
            if options["compare_import_export"]:
                # From an empty table again, as the portal's first import began.
                _remove_figures()
                for label, dry_run, total in COMPARISON_RUNS:
                    result = (run_import_export(files[0], dry_run=dry_run, breakdown=self.breakdown) if in_process
                              else self._in_child(files[0], import_export=True, dry_run=dry_run))
                    self._check_import_export(label, result, rows, total, dry_run, first_sum)
                    compared.append((label, result))
                    self.stdout.write(f"  django-import-export, {label}: {result['seconds']:.2f} s, {result['totals']}")
        self._report(results, in_process)
        if compared:
            self._report_comparison(results, compared, in_process)

    def _in_child(self, path: Path, *, undo: bool = False, import_export: bool = False, dry_run: bool = False) -> dict:
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "benchmark_import"]
        if import_export:
            command += [f"--child-import-export={path}"] + (["--child-dry-run"] if dry_run else [])
        else:
            command += [f"--child={path}"] + (["--child-undo"] if undo else [])
        command += ["--child-breakdown"] if self.breakdown else []
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
        if done.returncode != 0 or not lines:
            raise CommandError(f"The import in the child process failed (exit status {done.returncode}):\n"
                               f"{done.stderr[-3000:]}")
        return json.loads(lines[-1][len(RESULT_PREFIX):])

    def _check(self, label: str, result: dict, rows: int, count_name: str, value_sum: float):
        """The import really wrote what it should: every row counted as expected, every figure in the database."""
        counts = result["counts"]
        # A file that changes nothing cannot be confirmed: it stays a preview (and its confirm is the refusal).
        expected = FigureImportStatus.PREVIEW if count_name == "unchanged_count" else FigureImportStatus.CONFIRMED
        if result["status"] != expected or counts[count_name] != rows or counts["rejected_count"]:
            raise CommandError(f"{label}: the import is {result['status']} with {counts}; expected {rows} as "
                               f"{count_name}, none rejected.")
        if result["written"] != rows or result["value_sum"] != value_sum:
            raise CommandError(f"{label}: {result['written']} figures with values summing to {result['value_sum']} "
                               f"in the database after confirm, not {rows} summing to {value_sum}.")

    def _check_import_export(self, label: str, result: dict, rows: int, total: str, dry_run: bool,
                             value_sum: float):
        """django-import-export reported every row as expected, and wrote them (or, in a dry run, nothing new)."""
        totals = result["totals"]
        if totals[total] != rows or totals["error"] or totals["invalid"]:
            raise CommandError(f"django-import-export, {label}: {totals}; expected {rows} as {total}, no errors.")
        if not dry_run and (result["written"] != rows or result["value_sum"] != value_sum):
            raise CommandError(f"django-import-export, {label}: {result['written']} figures summing to "
                               f"{result['value_sum']} after the import, not {rows} summing to {value_sum}.")

    def _check_undone(self, label: str, result: dict, value_sum: float):
        status = FigureImport.objects.get(pk=result["import"]).status
        after = _figures_written()["value_sum"]
        if status != FigureImportStatus.UNDONE or after != value_sum:
            raise CommandError(f"{label}: after undo the import is {status} and the values sum to {after}, "
                               f"not to {value_sum} as before it.")

    def _report(self, results, in_process: bool):
        write = self.stdout.write
        write("")
        write("| step (s) | " + " | ".join(label for label, _result in results) + " |")
        write("|---|" + "---:|" * len(results))
        for step in STEPS:
            cells = [f"{result['times'][step]:.2f}" if step in result["times"] else "" for _label, result in results]
            write(f"| {step} | " + " | ".join(cells) + " |")
        totals = [f"**{sum(result['times'].values()):.2f}**" for _label, result in results]
        write("| total | " + " | ".join(totals) + " |")
        if not in_process:
            peaks = [f"{result['peak_mb']:.0f}" for _label, result in results]
            write("| peak memory of the import (MB) | " + " | ".join(peaks) + " |")
        checked = sum(result["checked"] for _label, result in results)
        write(self.style.SUCCESS(f"Statuses checked: {checked} responses, each the expected one (302 after the "
                                 "second factor, upload, mapping, confirm and undo to the right page; 200 for the "
                                 "pages); figures counted after each import."))

    def _report_comparison(self, results, compared, in_process: bool):
        """The portal's steps as a person waits for them beside django-import-export's dry run and import."""
        write = self.stdout.write
        portal = dict(results)
        theirs = dict(compared)

        def steps(label, names):
            return sum(portal[label]["times"][name] for name in names)

        lines = (
            ("first import: preview", steps("first import", PREVIEW_STEPS)),
            ("first import: confirm", steps("first import", CONFIRM_STEPS)),
            ("same file again: preview", steps("same file again", PREVIEW_STEPS)),
        )
        both = ("first import: preview + confirm",
                steps("first import", PREVIEW_STEPS) + steps("first import", CONFIRM_STEPS),
                theirs["first import: preview"]["seconds"] + theirs["first import: confirm"]["seconds"])
        write("")
        write("| step (s) | portal | django-import-export | portal faster by |")
        write("|---|---:|---:|---:|")
        for label, seconds, other in [(label, seconds, theirs[label]["seconds"]) for label, seconds in lines] + [both]:
            write(f"| {label} | {seconds:.2f} | {other:.2f} | {other / seconds:.1f}x |")
        if not in_process:
            peak = max(result["peak_mb"] for result in theirs.values())
            mine = max(result["peak_mb"] for _label, result in results)
            write(f"| peak memory (MB) | {mine:.0f} | {peak:.0f} | |")
        write("Portal: preview = upload + mapping page + mapping POST + preview page; confirm = confirm + import page. "
              "django-import-export: preview = reading the file + dry run; confirm = reading the file + import.")

    def _setup(self, options):
        with transaction.atomic():
            region = Region.objects.create(name="Benchmarkregio", code=REGION_CODE)
            office = Organisation.objects.create(name="Benchmark projectbureau", kind=OrganisationKind.OTHER,
                                                 region=region)
            user, _created = get_user_model().objects.get_or_create(username=USERNAME)
            Membership.objects.get_or_create(user=user, organisation=office, role=Role.PROJECT_LEADER)
            # Project leaders must give a second factor; the children answer with backup codes.
            TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
            # CBS codes from GM9999 down that no municipality has yet (a generated data set may have many).
            used = set(Organisation.objects.exclude(cbs_code=None).values_list("cbs_code", flat=True))
            codes = [code for code in (f"GM{n:04d}" for n in range(9999, 0, -1)) if code not in used]
            municipalities = Organisation.objects.bulk_create(
                Organisation(name=f"Benchmarkgemeente {n:03d}", kind=OrganisationKind.MUNICIPALITY, region=region,
                             cbs_code=codes[n])
                for n in range(options["municipalities"])
            )
            # Every validation rule switched on (loose enough that no row is refused: the run checks all are
            # written), and each odd indicator not above its even neighbour, which the values often break.
            indicators = Indicator.objects.bulk_create(
                Indicator(code=f"benchmark-{n:02d}", name=f"Benchmarkindicator {n:02d}", unit="count",
                          periodicity="quarter", supplier_kinds=["veilig_thuis"], minimum=0, maximum=1_000_000,
                          whole_numbers=True, check_outliers=True)
                for n in range(options["indicators"])
            )
            Indicator.not_above_sum_of.through.objects.bulk_create(
                Indicator.not_above_sum_of.through(from_indicator=indicators[n], to_indicator=indicators[n - 1])
                for n in range(1, len(indicators), 2)
            )
            reporting_periods_generate(first_year=2021, last_year=2021 + (options["quarters"] + 3) // 4,
                                       kind=PeriodKind.QUARTER)
            periods = list(ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, year__gte=2021)
                           .order_by("start_date")[: options["quarters"]])
            forms = ViolenceForm.objects.bulk_create(
                ViolenceForm(name=f"{FORM_PREFIX} {n:02d}", slug=f"benchmarkvorm-{n:02d}", order=900 + n,
                             cbs_key=f"B{n:06d}")
                for n in range(options["breakdown_forms"])
            )
        return municipalities, indicators, periods, forms

    def _cleanup(self):
        region = Region.objects.filter(code=REGION_CODE).first()
        with transaction.atomic():
            TOTPDevice.objects.filter(user__username=USERNAME).delete()
            StaticDevice.objects.filter(user__username=USERNAME).delete()
            if region is None:
                return
            FigureChange.objects.filter(organisation__region=region).delete()
            imports = FigureImport.objects.filter(region=region)
            ChangeRecord.objects.filter(region=region).delete()
            imports.delete()
            Figure.objects.filter(organisation__region=region).delete()
            FigureBreakdown.objects.filter(organisation__region=region).delete()
            ViolenceForm.objects.filter(name__startswith=FORM_PREFIX).delete()
            Indicator.objects.filter(code__startswith="benchmark-").delete()
            Membership.objects.filter(organisation__region=region).delete()
            Organisation.objects.filter(region=region).delete()
            region.delete()


def _write_csv(path: Path, municipalities, indicators, periods, offset, forms=()) -> None:
    """Values below 500 in the first file, each one higher in the second (the undo check relies on it).

    With forms of violence, each total's row is followed by a row per form (its CBS key), as CBS lists them."""
    with path.open("w", encoding="utf-8") as out:
        out.write("gemeente;periode;indicator;waarde" + (";geweldsvorm\n" if forms else "\n"))
        for m_index, municipality in enumerate(municipalities):
            for i_index, indicator in enumerate(indicators):
                for p_index, period in enumerate(periods):
                    base = (m_index * 7 + i_index * 13 + p_index * 3) % 500
                    value = base + offset
                    key = f"{municipality.cbs_code};{period.code};{indicator.code}"
                    if not forms:
                        out.write(f"{key};{value}\n")
                        continue
                    out.write(f"{key};{value};\n")
                    for f_index, form in enumerate(forms):
                        out.write(f"{key};{(base + f_index * 11) % 100 + offset};{form.cbs_key}\n")
