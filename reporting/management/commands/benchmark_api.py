"""Time a paged figure list of the read API against the figure table page that shows the same figures.

As a national team member (a temporary user and token, removed afterwards): the figure table of one region,
indicator and period, the same figures through /api/v1/figures/ (JSON and CSV), and a page in the middle of the whole
list (by cursor). Medians of --requests checked requests after one warm-up; every response
must be a 200.
"""

import base64
import statistics

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse

from programme.models import Indicator, Membership, Organisation, OrganisationKind, Role
from reporting.api.services import api_token_create
from reporting.figures.access import regions_with_figures_visible_to
from reporting.management.commands._benchmarking import CheckedClient
from reporting.models import Figure


class Command(BaseCommand):
    help = "Time the API's paged figure list against the figure table page (current database and settings)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20)

    def handle(self, *args, **options):
        import datetime

        from django.utils import timezone

        user = get_user_model().objects.create_user(username="benchmark-api-national")
        try:
            national = Organisation.objects.filter(kind=OrganisationKind.NATIONAL).first()
            Membership.objects.create(user=user, organisation=national, role=Role.NATIONAL_TEAM)
            _token, key = api_token_create(user=user, name="benchmark",
                                           expires_on=timezone.localdate() + datetime.timedelta(days=1))
            self._run(user, key, options["requests"])
        finally:
            with transaction.atomic():
                user.delete()

    def _run(self, user, key, requests):
        page_client = CheckedClient()
        page_client.client.force_login(user)
        api = CheckedClient()
        api.client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
        # A protected indicator if the data has one, so the disclosure step is part of what is timed.
        figure = (Figure.objects.filter(organisation__region__in=regions_with_figures_visible_to(user))
                  .select_related("indicator", "organisation__region")
                  .order_by("-indicator__suppress_small_numbers", "-period__end_date", "pk").first())
        region = figure.organisation.region
        indicator, period_id, source = figure.indicator, figure.period_id, figure.source
        params = {"period": period_id, "indicator": indicator.pk, "source": source}
        total = Figure.objects.count()
        # A cursor in the middle of the list, as a client following `next` links gets it (DRF's cursor format).
        middle = Figure.objects.order_by("pk").values_list("pk", flat=True)[total // 2]
        deep = base64.b64encode(f"p={middle}".encode()).decode()
        list_url = reverse("reporting:api-figures-list")
        cases = [
            ("figure table page", page_client, reverse("reporting:figure_table", args=[region.pk]), params),
            ("API, same figures (JSON)", api, list_url,
             {"region": region.pk, "period": period_id, "indicator": indicator.code, "source": source}),
            ("API, same figures (CSV)", api, list_url,
             {"region": region.pk, "period": period_id, "indicator": indicator.code, "source": source,
              "format": "csv"}),
            ("API, first page of all figures (100 rows)", api, list_url, {}),
            (f"API, the page after figure {total // 2} of all (100 rows)", api, list_url, {"cursor": deep}),
            ("API, 304 on If-None-Match", api, list_url, {"cursor": deep}),
        ]
        self.stdout.write(f"{total} figures, {Indicator.objects.count()} indicators; region {region.name}, "
                          f"indicator {indicator.code} (small numbers protected: {indicator.suppress_small_numbers}); "
                          f"median of {requests} requests after one warm-up.")
        self.stdout.write("| request | median (ms) |\n|---|---:|")
        for label, client, url, query in cases:
            headers, expect = {}, 200
            if label.startswith("API, 304"):
                response, _ = client.get(url, data=query)
                headers, expect = {"HTTP_IF_NONE_MATCH": response["ETag"]}, 304
            client.get(url, data=query, expect=expect, **headers)
            times = [client.get(url, data=query, expect=expect, **headers)[1] for _ in range(requests)]
            self.stdout.write(f"| {label} | {statistics.median(times):.0f} |")
        self.stdout.write(f"Statuses checked: {page_client.checked + api.checked} responses, each the expected one.")
