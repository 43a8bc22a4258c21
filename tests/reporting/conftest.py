"""Fixtures of the report tests: reporting periods, the regional programme and a draft report."""

import pytest

from programme.services import reporting_periods_generate
from reporting import reports_services

from .factories import period, regional_programme


@pytest.fixture
def periods(reference_data):
    reporting_periods_generate(first_year=2023, last_year=2026)


@pytest.fixture
def programme(users, periods):
    return regional_programme()


@pytest.fixture
def q1(periods):
    return period(2026, 1)


@pytest.fixture
def draft(users, programme, q1):
    return reports_services.report_create(programme=programme, period=q1, acting_user=users["project_leader"])


@pytest.fixture
def mailed(django_capture_on_commit_callbacks):
    """Run the on-commit mail callbacks of a block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
