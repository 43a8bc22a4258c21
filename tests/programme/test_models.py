"""Constraints and validation of the framework models, with the Dutch messages a user sees."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from programme.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Population,
    Programme,
    ProgrammeLevel,
    Region,
    ReportingPeriod,
    Role,
    region_and_ancestor_ids,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


def test_cbs_code_must_be_gm_and_four_digits(reference_data):
    region = Region.objects.get(code="zuidoost-brabant")
    bad = Organisation(name="Foutgemeente", kind=OrganisationKind.MUNICIPALITY, region=region, cbs_code="GM79")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "GM" in str(error.value.message_dict["cbs_code"])
    assert "vier cijfers" in " ".join(error.value.message_dict["cbs_code"])


def test_cbs_code_is_unique(reference_data):
    region = Region.objects.get(code="zuidoost-brabant")
    duplicate = Organisation(
        name="Helmond-bis", kind=OrganisationKind.MUNICIPALITY, region=region, cbs_code="GM0794"
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Een andere organisatie heeft deze CBS-code al." in str(error.value)


def test_database_refuses_a_municipality_without_cbs_code(reference_data):
    region = Region.objects.get(code="zuidoost-brabant")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Zonder code", kind=OrganisationKind.MUNICIPALITY, region=region)


def test_partner_cannot_have_cbs_code(reference_data):
    region = Region.objects.get(code="zuidoost-brabant")
    partner = Organisation(name="Politie X", kind=OrganisationKind.POLICE, region=region, cbs_code="GM1234")
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "Alleen een gemeente heeft een CBS-code." in error.value.message_dict["cbs_code"]


def test_programme_end_before_start_is_refused():
    programme = Programme(
        name="X",
        level=ProgrammeLevel.NATIONAL,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "De einddatum kan niet voor de begindatum liggen." in str(error.value)


def test_regional_programme_needs_region():
    programme = Programme(name="X", level=ProgrammeLevel.REGIONAL, start_date=datetime.date(2022, 1, 1))
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "region" in error.value.message_dict


def test_region_lies_within_larger_region(reference_data):
    assert Region.objects.get(code="zuidoost-brabant").parent.name == "Oost-Brabant"


def test_population_unique_per_year(reference_data):
    helmond = Organisation.objects.get(cbs_code="GM0794")
    with pytest.raises(ValidationError):
        Population(organisation=helmond, year=2018, inhabitants=1).full_clean()


def test_national_team_role_only_in_national_organisation(reference_data, django_user_model):
    user = django_user_model.objects.create_user("x")
    helmond = Organisation.objects.get(cbs_code="GM0794")
    membership = Membership(user=user, organisation=helmond, role=Role.NATIONAL_TEAM)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "landelijke organisatie" in " ".join(error.value.message_dict["role"])


def test_period_code_and_number_check():
    period = ReportingPeriod(kind="quarter", year=2023, number=1, start_date=datetime.date(2023, 1, 1),
                             end_date=datetime.date(2023, 3, 31))
    assert period.code == "2023KW01"
    period.number = 5
    with pytest.raises(ValidationError):
        period.full_clean()


def test_region_and_its_larger_regions_in_one_query(django_assert_num_queries):
    country = Region.objects.create(name="Land", code="land")
    province = Region.objects.create(name="Provincie", code="provincie", parent=country)
    town = Region.objects.create(name="Stadsregio", code="stadsregio", parent=province)
    with django_assert_num_queries(1):
        assert region_and_ancestor_ids(town.pk) == {town.pk, province.pk, country.pk}
    assert region_and_ancestor_ids(country.pk) == {country.pk}
    assert region_and_ancestor_ids(None) == set()
    with django_assert_num_queries(0):
        assert region_and_ancestor_ids(town.pk, {town.pk: province.pk}) == {town.pk, province.pk}
    # A loop in the data ends the walk.
    assert region_and_ancestor_ids(town.pk, {town.pk: province.pk, province.pk: town.pk}) == {town.pk, province.pk}


def test_region_cannot_lie_within_itself_or_its_subregion():
    province = Region.objects.create(name="Provincie", code="provincie")
    town = Region.objects.create(name="Stadsregio", code="stadsregio", parent=province)
    for parent in (province, town):
        province.parent = parent
        with pytest.raises(ValidationError) as error:
            province.full_clean()
        assert error.value.message_dict["parent"] == ["Een regio kan niet binnen zichzelf liggen."]
    town.parent = None
    town.full_clean()
