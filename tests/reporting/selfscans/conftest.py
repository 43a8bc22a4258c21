"""Fixtures of the self-scan tests: a small framework (2 themes, 4 criteria) and helpers that fill in scans."""

import pytest

from programme.models import Organisation, Region
from reporting.selfscans import framework_services, services
from reporting.selfscans.services import Answer


def make_framework(region, leader, year=2025, themes=(("Veiligheid", ("Veiligheid taxeren", "Veiligheidsplan")),
                                                       ("Samenwerking", ("Samenwerking Veilig Thuis",
                                                                         "Regie op de aanpak")))):
    framework = framework_services.framework_create(region=region, year=year, title="Leidraad en zelfscan",
                                          acting_user=leader)
    if not framework.themes.exists():
        for name, criteria in themes:
            theme = framework_services.theme_add(framework=framework, name=name, acting_user=leader)
            for text in criteria:
                framework_services.criterion_add(framework=framework, theme=theme, text=text, help_text="Uitleg",
                                       acting_user=leader)
    return framework


def fill(scan, user, scores, explanation="Toelichting"):
    """Give the criteria of a scan the scores in order (None = not applicable), then return the saved scan."""
    criteria = list(scan.framework.criteria.order_by("theme__order", "order"))
    answers = {c.pk: (Answer(not_applicable=True, explanation=explanation) if s is None
                      else Answer(score=s, explanation=f"{explanation} {c.text}"))
               for c, s in zip(criteria, scores, strict=True)}
    return services.scan_update(scan=scan, acting_user=user, expected_version=scan.version, strengths="Korte lijnen",
                                answers=answers)


def submitted_scan(framework, municipality, user, scores):
    scan = services.scan_create(framework=framework, municipality=municipality, acting_user=user)
    scan = fill(scan, user, scores)
    return services.scan_submit(scan=scan, acting_user=user)


@pytest.fixture
def region(reference_data):
    return Region.objects.get(code="zuidoost-brabant")


@pytest.fixture
def framework(users, region):
    return make_framework(region, users["project_leader"])


@pytest.fixture
def helmond(reference_data):
    return Organisation.objects.get(name="Helmond")


@pytest.fixture
def eindhoven(reference_data):
    return Organisation.objects.get(name="Eindhoven")


@pytest.fixture
def draft(users, framework, helmond):
    return services.scan_create(framework=framework, municipality=helmond, acting_user=users["helmond"])
