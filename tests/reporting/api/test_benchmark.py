"""The API fetches a page of figures of a generated data set within the time of the page that shows them."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_api_answers_the_figures_of_a_page_within_that_pages_time(reference_data):
    call_command("generate_national_data", demo_size=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("benchmark_api", requests=7, stdout=out)
    output = out.getvalue()
    times = {label: float(ms) for label, ms in re.findall(r"^\| (.+?) \| (\d+) \|$", output, re.M)}
    assert "Statuses checked: 49 responses, each the expected one." in output
    page, api = times["figure table page"], times["API, same figures (JSON)"]
    # 6 requests x (1 warm-up + 7 timed) + 1 for the ETag. "Within the same time", with room for the noise of a
    # shared machine (medians of 7, a few milliseconds).
    assert api <= 1.5 * page + 5, output
    assert times["API, 304 on If-None-Match"] <= api + 5, output
