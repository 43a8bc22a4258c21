"""Time the outside probe's hostile files through the upload and mapping pages, with peak memory.

Run from any settings, the command runs itself again under production settings (see _benchmarking). Each file is
built (reporting/imports/probe_files.py) and written to disk first, then uploaded in a fresh child process (so
ru_maxrss, which never goes down, is that file's own peak): the upload (POST, multipart), and when the upload is
accepted the mapping page (GET) and the preview (POST). Every response is checked: a refused file must come back
as the upload form with a Dutch message naming the limit, an accepted one must redirect to its mapping.
"""

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import resolve, reverse

from programme.models import Region
from reporting.imports import probe_files
from reporting.management.commands import benchmark_import
from reporting.management.commands._benchmarking import (
    CheckedClient,
    log_in,
    rerun_under_production,
    under_production_settings,
)
from reporting.models import FigureImport

RESULT_PREFIX = "UPLOAD-RESULT "


def _child(path: Path, file_name: str) -> dict:
    user = get_user_model().objects.get(username=benchmark_import.USERNAME)
    region = Region.objects.get(code=benchmark_import.REGION_CODE)
    client = CheckedClient()
    log_in(client, user, second_factor=benchmark_import._backup_code(user), login_page=False)
    baseline = benchmark_import.peak_rss_mb()
    started = time.perf_counter()
    with path.open("rb") as handle:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(file_name, handle.read())
    response = client.client.post(reverse("reporting:import_upload"), {
        "file": upload, "region": region.pk, "source": "veilig_thuis"}, secure=True)
    outcome = ""
    if response.status_code == 200:
        page = response.content.decode()
        found = re.search(r'class="invalid-feedback">\s*<p[^>]*><strong>([^<]+)', page)
        outcome = html.unescape(found.group(1)).strip() if found else ""
        if not outcome:
            raise CommandError(f"{file_name}: the upload answered 200 without a Dutch message.")
    elif response.status_code == 302 and resolve(response["Location"]).url_name == "import_mapping":
        mapping_url = response["Location"]
        client.get(mapping_url)
        response, _ms = client.post(mapping_url, benchmark_import.MAPPING, expect=302)
        figure_import = FigureImport.objects.get(pk=resolve(mapping_url).kwargs["pk"])
        outcome = (f"preview: {figure_import.created_count} new, {figure_import.rejected_count} rejected "
                   f"({figure_import.rows.filter(action='rejected').values_list('reason', flat=True).first()})")
    else:
        raise CommandError(f"{file_name}: the upload answered {response.status_code}.")
    return {"seconds": time.perf_counter() - started, "peak_mb": benchmark_import.peak_rss_mb() - baseline,
            "process_mb": benchmark_import.peak_rss_mb(), "outcome": outcome}


class Command(BaseCommand):
    help = "Time the probe's hostile files through the upload and mapping pages (time and peak memory per file)."

    def add_arguments(self, parser):
        parser.add_argument("--current-settings", action="store_true", help="Run under the settings loaded now.")
        parser.add_argument("--child", help=argparse.SUPPRESS)
        parser.add_argument("--child-name", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["child"]:
            self.stdout.write(RESULT_PREFIX + json.dumps(_child(Path(options["child"]), options["child_name"])))
            return
        if not (options["current_settings"] or under_production_settings()):
            rerun_under_production("benchmark_upload", [], self.stdout.write)
            return
        setup = benchmark_import.Command()
        setup._cleanup()
        try:
            setup._setup({"municipalities": 3, "indicators": 2, "quarters": 2})
            self._run()
        finally:
            setup._cleanup()

    def _run(self):
        write = self.stdout.write
        write("| file | size (KB) | upload and mapping (s) | peak memory of the request (MB) | peak of the process "
              "(MB) | answer |")
        write("|---|---:|---:|---:|---:|---|")
        with tempfile.TemporaryDirectory(prefix="ghnt-benchmark-upload-") as folder:
            names = {"municipality": "Benchmarkgemeente 000", "indicator": "benchmark-00"}
            for what, name, content in probe_files.probe_files(full_size=True, **names):
                path = Path(folder) / name
                path.write_bytes(content)
                done = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[3] / "manage.py"),
                                       "benchmark_upload", f"--child={path}", f"--child-name={name}"],
                                      capture_output=True, text=True, check=False)
                lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
                if done.returncode != 0 or not lines:
                    raise CommandError(f"{what}: the child failed:\n{done.stderr[-3000:]}")
                result = json.loads(lines[-1][len(RESULT_PREFIX):])
                write(f"| {what} | {len(content) / 1024:.0f} | {result['seconds']:.2f} | {result['peak_mb']:.0f} "
                      f"| {result['process_mb']:.0f} | {result['outcome']} |")
