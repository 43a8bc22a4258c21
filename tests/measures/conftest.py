"""Fixtures for the measures tests: the regional programme, reporting periods and a measure factory."""

import datetime
from decimal import Decimal

import pytest

from measures.models import Contribution, Decision, FundingSource
from measures.services import assessments as assessment_services
from measures.services import measures as measure_services
from programme.models import Goal, Organisation, Programme, ReportingPeriod
from programme.services.periods import reporting_periods_generate


@pytest.fixture
def programme(reference_data):
    return Programme.objects.get(level="regional")


@pytest.fixture
def periods(reference_data):
    reporting_periods_generate(first_year=2023, last_year=2024)
    return {p.code: p for p in ReportingPeriod.objects.filter(kind="quarter")}


@pytest.fixture
def sources(db):
    return {s.code: s for s in FundingSource.objects.all()}


@pytest.fixture
def make_measure(programme, users, sources):
    """A measure through the real service; `accepted=True` also runs the project leader's assessment."""
    counter = {"n": 0}

    def make(*, owner="Helmond", title=None, line=1, accepted=False, user=None, **extra):
        counter["n"] += 1
        action_line = programme.action_lines.get(number=line)
        data = {
            "title": title or f"Maatregel {counter['n']}",
            "description": "Beschrijving",
            "start_date": datetime.date(2023, 1, 1),
            "end_date": datetime.date(2025, 12, 31),
            "budget": Decimal("10000"),
            "funding_source": sources["gemeente"],
            "goals": list(action_line.goals.all()[:1]),
        }
        data.update(extra)
        measure = measure_services.measure_create(
            programme=programme, acting_user=user or users["helmond"], action_line=action_line,
            owner=Organisation.objects.get(name=owner), **data,
        )
        if accepted:
            accept(measure, users["project_leader"])
        return measure

    return make


def accept(measure, user, decision=Decision.ACCEPT):
    goals = Goal.objects.filter(action_line__programme=measure.programme)
    return assessment_services.assessment_create(
        measure=measure, acting_user=user, decision=decision, reasons="Past bij de meetlat.",
        contributions={goal.pk: Contribution.SOME for goal in goals},
    )
