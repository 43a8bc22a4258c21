"""Fixtures of the reporting tests: periods, the regional programme, a draft report, extra indicators, imports."""

import pytest

from programme.models import Indicator, Organisation, Region
from programme.services.periods import reporting_periods_generate
from reporting.figures.access import entry_rights
from reporting.imports import services
from reporting.reports import services as reports_services

from .factories import period, regional_programme


@pytest.fixture
def periods(reference_data):
    reporting_periods_generate(first_year=2022, last_year=2026)
    for kind in ("half_year", "year"):
        reporting_periods_generate(first_year=2022, last_year=2024, kind=kind)


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


@pytest.fixture
def region(reference_data):
    return Region.objects.get(code="zuidoost-brabant")


@pytest.fixture
def indicators(reference_data):
    """The two Veilig Thuis counts of the reference data, a Veilig Thuis percentage and a municipal amount."""
    Indicator.objects.create(code="binnen-termijn-vt", name="Binnen termijn", unit="percentage",
                             periodicity="quarter", aggregation_over_organisations="mean",
                             aggregation_over_time="mean", supplier_kinds=["veilig_thuis"])
    Indicator.objects.create(code="budget-gemeente", name="Budget aanpak", unit="euro", periodicity="year",
                             supplier_kinds=["municipality"])
    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def municipality(reference_data):
    def get(name):
        return Organisation.objects.get(name=name)
    return get


def run_import(user, region, content, file_name="cijfers.csv", mapping=None, source="veilig_thuis", confirm=True,
               all_provisional=False):
    """Upload, preview with `mapping` (guessed if None) and confirm; returns the import."""
    from reporting.imports.parsing import guess_mapping

    rights = entry_rights(user, region)
    if isinstance(content, str):
        content = content.encode("utf-8")
    figure_import = services.figure_import_upload(
        acting_user=user, region=region, file_name=file_name, content=content, source=source,
        all_provisional=all_provisional,
    )
    mapping = mapping or guess_mapping(figure_import.headers, {i.code: i.name for i in rights.indicator_columns},
                                       {i.code: i.cbs_key for i in rights.indicator_columns if i.cbs_key})
    figure_import = services.figure_import_preview(
        figure_import=figure_import, rights=rights, mapping=mapping, acting_user=user
    )
    if confirm:
        figure_import = services.figure_import_confirm(figure_import=figure_import, acting_user=user)
    return figure_import


LONG = {"municipality": "gemeente", "period": "periode", "indicator": "indicator", "value": "waarde", "columns": {}}


@pytest.fixture(autouse=True)
def _empty_cache():
    """The dashboards cache their aggregates in the process-wide cache; every test starts without any."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
