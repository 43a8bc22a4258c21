"""Time the self-scan heat map on the national data set: server time and queries per request, in-process.

Run after `manage.py generate_national_data` on the database of DATABASE_URL (or the default SQLite file):
    .venv/bin/python scripts/time_selfscan_heat_map.py
It also builds one extra region of 342 municipalities (the whole country as one region, the worst case for one
heat map), measures it, and removes it again.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ghnt_portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from programme.models import Membership, Organisation, OrganisationKind, Region, Role  # noqa: E402
from reporting.demo.selfscans import generate_national_scans, remove_scans_of  # noqa: E402
from reporting.models import ScanFramework  # noqa: E402


def measure(framework, label, rounds=20):
    get_user_model().objects.filter(username=f"bench-selfscan-{framework.region.code}").delete()
    user = get_user_model().objects.create(username=f"bench-selfscan-{framework.region.code}")
    organisation = Organisation.objects.filter(region=framework.region).first()
    Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.STEERING_GROUP)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("reporting:selfscan_framework", args=[framework.pk])
    client.get(url)
    times = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    municipalities = Organisation.objects.filter(region=framework.region, kind=OrganisationKind.MUNICIPALITY).count()
    print(f"{label}: {municipalities} municipalities, {len(queries)} queries, median {statistics.median(times):.0f} ms,"
          f" max {max(times):.0f} ms")
    user.delete()


def main():
    year = max(ScanFramework.objects.values_list("year", flat=True))
    biggest = max(ScanFramework.objects.filter(year=year), key=lambda f: f.region.organisations.count())
    measure(biggest, f"largest region of the data set ({biggest.region.name})")
    region = Region.objects.create(name="Bench heel Nederland", code="bench-selfscan-nl")
    try:
        Organisation.objects.bulk_create(
            Organisation(name=f"Bench-gemeente {n}", kind=OrganisationKind.MUNICIPALITY, region=region,
                         cbs_code=f"GM{8000 + n:04d}") for n in range(342))
        author = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.first()
        generate_national_scans([region], author)
        measure(ScanFramework.objects.get(region=region, year=year), "one region of 342 municipalities")
        client = Client(HTTP_HOST="localhost")
        national, _ = get_user_model().objects.get_or_create(username="bench-selfscan-national")
        national_org = Organisation.objects.filter(kind=OrganisationKind.NATIONAL).first()
        if national_org:
            Membership.objects.get_or_create(user=national, organisation=national_org, role=Role.NATIONAL_TEAM)
            client.force_login(national)
            url = reverse("reporting:selfscan_national") + f"?jaar={year}"
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                assert client.get(url).status_code == 200
                elapsed = (time.perf_counter() - start) * 1000
            print(f"national overview: {ScanFramework.objects.filter(year=year).count()} regions, "
                  f"{len(queries)} queries, {elapsed:.0f} ms")
    finally:
        remove_scans_of(Region.objects.filter(pk=region.pk))
        Organisation.objects.filter(region=region).delete()
        region.delete()
        get_user_model().objects.filter(username="bench-selfscan-national").delete()


if __name__ == "__main__":
    main()
