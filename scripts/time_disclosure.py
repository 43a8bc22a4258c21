"""Time what the disclosure step (reporting/disclosure.py) adds to the national overview and a region's figure table.

Run after `manage.py generate_national_data` on the database of DATABASE_URL:
    DATABASE_URL=postgres://... .venv/bin/python scripts/time_disclosure.py
In-process requests through Django's test client (development settings, the whole middleware stack), two ways:
- the step's own time: every call of Disclosure.count/rate/average/note and the threshold look-up is timed (nested
  calls once) during the requests;
- the request with and without the step: the national overview with Disclosure.outside() swapped for an exact
  viewer (bypassed), and the figure table of the largest generated region as the region's own steering group
  member (exact) against the same table as it leaves the region (`?public=1`, through the step).
Medians of ROUNDS requests, the dashboard cache cleared before each (cold) or kept (warm).
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ghnt_portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from programme.models import Indicator, PeriodKind, Region  # noqa: E402
from reporting import disclosure as disclosure_module  # noqa: E402
from reporting.management.commands.benchmark_dashboards import _users  # noqa: E402
from reporting.models import Figure  # noqa: E402

ROUNDS = 15
Disclosure = disclosure_module.Disclosure


class StepClock:
    """Adds up the time spent inside the disclosure step's functions, nested calls counted once."""

    def __init__(self):
        self.seconds, self.calls, self._depth = 0.0, 0, 0

    def wrap(self, function):
        def timed(*args, **kwargs):
            self._depth += 1
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.seconds += time.perf_counter() - start
                    self.calls += 1
        return timed


def install(clock):
    for name in ("count", "rate", "average", "note"):
        setattr(Disclosure, name, clock.wrap(getattr(Disclosure, name)))
    disclosure_module.threshold = clock.wrap(disclosure_module.threshold)


def measure(client, url, params, *, cold, clock):
    times, step = [], []
    client.get(url, params)
    for _ in range(ROUNDS):
        if cold:
            cache.clear()
        clock.seconds, clock.calls = 0.0, 0
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        step.append(clock.seconds * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), statistics.median(step), clock.calls


def client_for(user):
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def main():
    clock = StepClock()
    install(clock)
    # The largest generated region; its steering group member and a national team member (benchmark users).
    region = max(Region.objects.filter(code__startswith="bench-"), key=lambda r: r.organisations.count())
    users, _municipality = _users(region)
    national = client_for(users["national"])
    rows = []
    for cold in (True, False):
        label = "cold" if cold else "warm"
        with_step = measure(national, "/dashboard/landelijk/", {}, cold=cold, clock=clock)
        original = Disclosure.outside
        Disclosure.outside = classmethod(lambda cls: cls(exact=True))
        try:
            bypassed = measure(national, "/dashboard/landelijk/", {}, cold=cold, clock=clock)
        finally:
            Disclosure.outside = original
        rows.append(("national overview", label, with_step, bypassed))

    indicator = Indicator.objects.get(code="meldingen-vt")
    period_id = (Figure.objects.filter(organisation__region=region, indicator=indicator,
                                       period__kind=PeriodKind.QUARTER)
                 .order_by("-period__start_date").values_list("period_id", flat=True).first())
    member = client_for(users["steering"])
    params = {"indicator": indicator.pk, "period": period_id}
    url = f"/cijfers/regio/{region.pk}/"
    through = measure(member, url, {**params, "public": "1"}, cold=False, clock=clock)
    exact = measure(member, url, params, cold=False, clock=clock)
    municipalities = region.organisations.filter(kind="municipality").count()
    rows.append((f"figure table of {region.name}, {municipalities} municipalities (public=1 vs own region)", "-",
                 through, exact))

    print("| page | cache | request with the step (ms) | time inside the step (ms) | calls | request bypassed (ms) |")
    print("|---|---|---:|---:|---:|---:|")
    for page, label, (request_ms, step_ms, calls), (bypassed_ms, _step, _calls) in rows:
        print(f"| {page} | {label} | {request_ms:.1f} | {step_ms:.2f} | {calls} | {bypassed_ms:.1f} |")


if __name__ == "__main__":
    main()
