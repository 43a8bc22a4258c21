"""The guideline as data: a new year's version keeps each criterion's identity; renamed, new and removed criteria."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting.selfscans import framework_services as services
from reporting.selfscans import selectors

from .conftest import make_framework, submitted_scan

pytestmark = pytest.mark.django_db


def test_a_new_year_copies_the_framework_with_the_same_keys(users, framework):
    next_year = services.framework_create(region=framework.region, year=2026, title="Leidraad",
                                          acting_user=users["project_leader"])
    assert next_year.previous == framework
    assert (sorted(next_year.criteria.values_list("key", flat=True))
            == sorted(framework.criteria.values_list("key", flat=True)))
    assert next_year.criteria.count() == 4 and next_year.themes.count() == 2


def test_renamed_criterion_keeps_its_trend_and_a_new_one_has_none(users, framework, helmond, eindhoven):
    leader = users["project_leader"]
    submitted_scan(framework, helmond, users["helmond"], [1, 2, 3, 4])
    next_year = services.framework_create(region=framework.region, year=2026, title="Leidraad", acting_user=leader)
    renamed = next_year.criteria.get(text="Veiligheid taxeren")
    services.criterion_update(criterion=renamed, acting_user=leader, expected_version=next_year.version,
                              text="Veiligheid taxeren met een instrument", help_text="", theme=renamed.theme)
    new = services.criterion_add(framework=next_year, theme=renamed.theme, text="Borging in de registratie",
                                 acting_user=leader)
    removed = next_year.criteria.get(text="Regie op de aanpak")
    services.criterion_remove(criterion=removed, acting_user=leader)
    submitted_scan(next_year, helmond, users["helmond"], [3, 3, 2, 4])  # taxeren, plan, borging, samenwerking

    trends = selectors.criterion_trends(framework.region_id)
    assert trends[renamed.key] == {2025: 1, 2026: 3}  # renamed: the line goes on
    assert trends[new.key] == {2026: 2}  # new: no history
    changes = selectors.framework_criteria(next_year)
    marks = {item["criterion"].text: item["change"] for group in changes["themes"] for item in group["criteria"]}
    assert marks["Veiligheid taxeren met een instrument"] == "changed"
    assert marks["Borging in de registratie"] == "new"
    assert marks["Veiligheidsplan"] == ""
    assert [c.text for c in changes["removed"]] == ["Regie op de aanpak"]


def test_only_the_project_leader_maintains_the_framework(users, framework):
    theme = framework.themes.first()
    for key in ("helmond", "steering_group", "other_project_leader", "national"):
        with pytest.raises(PermissionDenied):
            services.criterion_add(framework=framework, theme=theme, text="X", acting_user=users[key])
    assert framework.criteria.count() == 4


def test_criteria_are_frozen_once_a_scan_is_submitted(users, framework, helmond):
    submitted_scan(framework, helmond, users["helmond"], [1, 2, 3, 4])
    criterion = framework.criteria.first()
    with pytest.raises(ValidationError, match="volgend jaar|next year"):
        services.criterion_remove(criterion=criterion, acting_user=users["project_leader"])


def test_other_region_has_its_own_framework(users, other_region):
    framework = make_framework(other_region, users["other_project_leader"])
    assert framework.region == other_region and framework.criteria.count() == 4


def test_framework_page_shows_the_trend_through_a_rename(users, framework, helmond):
    from django.urls import reverse

    from ...permissions import client_for

    leader = users["project_leader"]
    submitted_scan(framework, helmond, users["helmond"], [1, 2, 3, 4])
    next_year = services.framework_create(region=framework.region, year=2026, title="Leidraad", acting_user=leader)
    renamed = next_year.criteria.get(text="Veiligheid taxeren")
    services.criterion_update(criterion=renamed, acting_user=leader, expected_version=next_year.version,
                              text="Veiligheid taxeren met een instrument", help_text="", theme=renamed.theme)
    submitted_scan(next_year, helmond, users["helmond"], [3, 3, 3, 3])
    page = client_for(users["steering_group"]).get(reverse("reporting:selfscan_framework", args=[next_year.pk]))
    text = page.content.decode()
    assert "Veiligheid taxeren met een instrument" in text and "gewijzigd" in text
    assert "2025: 1,0 · 2026: 3,0" in text
