"""The benchmark commands time only answers they checked, stop at an unexpected one, and can run in production."""

import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from reporting.management.commands import _benchmarking, benchmark_dashboards, benchmark_import
from reporting.models import Figure, FigureBreakdown

pytestmark = pytest.mark.django_db

# What production does to a request that a benchmark has to cope with: HTTPS only, secure cookies, lockout
# bookkeeping and the second factor for project leaders.
PRODUCTION_LIKE = override_settings(SECURE_SSL_REDIRECT=True, SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True,
                                    SESSION_COOKIE_NAME="__Host-sessionid", AXES_ENABLED=True, GHNT_REQUIRE_2FA=True)


def _dashboards(**options) -> str:
    out = io.StringIO()
    call_command("benchmark_dashboards", sizes="demo", requests=1, current_settings=True, stdout=out,
                 **options)
    return out.getvalue()


def _import(**options) -> str:
    out = io.StringIO()
    call_command("benchmark_import", municipalities=2, indicators=2, quarters=2, current_settings=True, stdout=out,
                 **options)
    return out.getvalue()


@PRODUCTION_LIKE
def test_dashboard_benchmark_reports_every_dashboard_beside_its_floor_and_the_statuses_checked(reference_data):
    output = _dashboards()
    rows = [line for line in output.splitlines() if line.startswith("| demo |")]
    assert [row.split(" | ")[1] for row in rows] == ["steering group", "municipality", "national"]
    # Two logins, then per page: one warm-up, two captured requests, one cold, one to fill the cache, one warm.
    assert "Statuses checked: 20 responses, each the expected one" in output
    for row in rows:
        cells = row.split(" | ")
        floor, cold, cold_ratio, warm, warm_ratio, warm_own_floor, warm_own_ratio = cells[2:9]
        assert 0 < float(floor) < float(cold) and 0 < float(warm_own_floor) < float(warm)
        # The ratios are printed, each the request divided by its floor (from the unrounded times).
        assert _divided(cold_ratio, cold, floor)
        assert _divided(warm_ratio, warm, floor)
        assert _divided(warm_own_ratio, warm, warm_own_floor)


def _divided(ratio: str, time: str, floor: str) -> bool:
    """Whether the printed ratio is the printed time over the printed floor, within what rounding to 0.1 ms allows:
    a demo-size floor of 0.3 ms is anything from 0.25 to 0.35 ms unrounded."""
    ratio, time, floor = float(ratio.rstrip("x")), float(time), float(floor)
    lowest, highest = (time - 0.05) / (floor + 0.05), (time + 0.05) / max(floor - 0.05, 0.001)
    return lowest - 0.005 <= ratio <= highest + 0.005


@PRODUCTION_LIKE
def test_dashboard_benchmark_stops_at_a_page_that_is_not_200(reference_data, monkeypatch):
    pages = benchmark_dashboards.dashboard_pages

    def with_a_missing_region(region, municipality):
        missing = reverse("reporting:steering_dashboard", args=[region.pk + 10_000])
        return [("missing region", "steering", missing), *pages(region, municipality)]

    monkeypatch.setattr(benchmark_dashboards, "dashboard_pages", with_a_missing_region)
    with pytest.raises(CommandError, match=r"GET /dashboard/regio/\d+/ answered 404, expected 200"):
        _dashboards()


@PRODUCTION_LIKE
def test_import_benchmark_goes_through_the_pages_and_counts_what_was_written(reference_data):
    output = _import()
    assert "8 rows per file" in output  # 2 municipalities x 2 indicators x 2 quarters
    steps = {line.split(" | ")[0].lstrip("| ") for line in output.splitlines() if line.startswith("| ")}
    assert set(benchmark_import.STEPS) <= steps
    # Per import: the second factor and six steps; the last one also its undo.
    assert "Statuses checked: 22 responses, each the expected one" in output
    assert not Figure.objects.exists()  # removed afterwards


@PRODUCTION_LIKE
def test_import_benchmark_compares_the_same_file_with_django_import_export(reference_data):
    output = _import(compare_import_export=True)
    # Each of its runs is checked like the portal's: every row counted as new, skipped, and written on import.
    assert "django-import-export, first import: confirm:" in output and "'new': 8" in output
    assert "django-import-export, same file again: preview:" in output and "'skip': 8" in output
    labels = [line.split(" | ")[0].lstrip("| ") for line in output.split("| portal faster by |")[1].splitlines()
              if line.startswith("| ") and not line.startswith("|---")]
    assert labels == ["first import: preview", "first import: confirm", "same file again: preview",
                      "first import: preview + confirm"]
    assert not Figure.objects.exists()


@PRODUCTION_LIKE
def test_import_benchmark_compares_a_file_with_breakdowns_with_django_import_export(reference_data):
    # 2 x 2 x 2 totals, each with two parts: django-import-export imports the parts with a resource of their own.
    output = _import(compare_import_export=True, breakdown_forms=2)
    assert "24 rows per file" in output
    assert "django-import-export, first import: confirm:" in output and "'new': 24" in output
    assert "django-import-export, same file again: preview:" in output and "'skip': 24" in output
    assert not Figure.objects.exists() and not FigureBreakdown.objects.exists()


@PRODUCTION_LIKE
def test_import_benchmark_stops_when_a_step_does_not_answer_as_expected(reference_data, monkeypatch):
    # A column the file does not have: the mapping page shows its form again (200) instead of the preview.
    monkeypatch.setattr(benchmark_import, "MAPPING", {**benchmark_import.MAPPING, "value": "bedrag"})
    with pytest.raises(CommandError, match=r"POST /cijfers/importen/\d+/kolommen/ answered 200, expected 302"):
        _import()
    assert not Figure.objects.exists()


def test_the_production_environment_of_a_run_satisfies_the_production_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    env = _benchmarking.production_environment(str(tmp_path))
    script = ("import django; django.setup(); from django.conf import settings; "
              "print(settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.ALLOWED_HOSTS)")
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "['127.0.0.1']"]
