"""The reference data command: complete, and idempotent."""

import io

import pytest
from django.core.management import call_command

from programme.models import (
    ActionLine,
    Goal,
    Indicator,
    NationalMeasure,
    Organisation,
    OrganisationKind,
    Population,
    Programme,
    Theme,
    ViolenceForm,
)

pytestmark = pytest.mark.django_db

MODELS = [Organisation, Population, Programme, ActionLine, Goal, Theme, ViolenceForm, Indicator, NationalMeasure]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loads_the_region_zuidoost_brabant():
    call_command("load_reference_data", stdout=io.StringIO())
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, region__code="zuidoost-brabant")
    assert municipalities.count() == 21
    helmond = municipalities.get(cbs_code="GM0794")
    assert helmond.name == "Helmond" and helmond.is_centre_municipality
    assert helmond.populations.get(year=2018).inhabitants == 90911
    assert set(municipalities.filter(is_centre_municipality=True).values_list("name", flat=True)) == {
        "Eindhoven", "Helmond"}
    assert Population.objects.get(organisation__name="Asten").is_estimate
    regional = Programme.objects.get(level="regional")
    assert regional.action_lines.count() == 3
    for line in regional.action_lines.all():
        assert line.goals.count() >= 2 and line.themes.count() >= 2
    ghnt = Programme.objects.get(short_name="GHNT")
    assert regional.national_programme == ghnt
    assert ghnt.successor.short_name == "TKS"
    assert str(ghnt.successor.start_date) == "2022-06-01"
    assert ViolenceForm.objects.count() == 15
    vt = Indicator.objects.get(code="adviesvragen-vt")
    assert vt.unit == "count" and vt.periodicity == "quarter" and vt.suppress_small_numbers
    for partner in ["Veilig Thuis Oost-Brabant", "Openbaar Ministerie Oost-Brabant",
                    "Zorg- en Veiligheidshuis Brabant-Zuidoost", "Politie Oost-Brabant, district Zuidoost-Brabant"]:
        assert Organisation.objects.filter(name=partner).exists()


def test_running_twice_duplicates_nothing_and_keeps_edits():
    call_command("load_reference_data", stdout=io.StringIO())
    first = counts()
    goal = Goal.objects.get(code="1.1")
    goal.title = "Aangepast door de projectleider"
    goal.save()
    call_command("load_reference_data", stdout=io.StringIO())
    assert counts() == first
    assert Goal.objects.get(code="1.1").title == "Aangepast door de projectleider"


def test_reference_texts_spell_dutch_with_their_diaereses(reference_data):
    """'financiele uitbuiting' without the diaeresis, in the national measure 3.1."""
    from programme.models import NationalMeasure, ViolenceForm

    texts = [*NationalMeasure.objects.values_list("title", flat=True), *ViolenceForm.objects.values_list("name",
                                                                                                         flat=True)]
    for wrong in ("financiele", "ideeen", "geescaleerd", "categorieen"):
        assert not any(wrong in text.lower() for text in texts), wrong
    assert any("financiële uitbuiting" in text for text in texts)
