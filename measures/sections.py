"""Blocks that measures adds to shared pages (home, organisation) through programme.portal.extensions."""

from programme.access import scope_of
from programme.models import Role

from . import selectors


def home_section(request, _obj=None):
    """For advisers: their organisation's measures; for the project leader: proposals awaiting assessment."""
    scope = scope_of(request.user)
    is_adviser = bool(scope.organisation_ids_with_role(Role.POLICY_ADVISER))
    is_project_leader = bool(scope.region_ids_with_role(Role.PROJECT_LEADER))
    if not (is_adviser or is_project_leader):
        return None
    context = {}
    if is_adviser:
        context["own"], context["own_count"] = selectors.own_organisation_measures(user=request.user)
    if is_project_leader:
        proposals = selectors.proposals_awaiting_assessment(user=request.user)
        context["proposals"] = list(proposals[:10])
        context["proposal_count"] = proposals.count()
    return "measures/home_section.html", context


def organisation_section(request, organisation):
    """On an organisation's page: the measures it owns and those it takes part in, since when."""
    if not scope_of(request.user).is_regional_reader:
        return None
    return "measures/organisation_section.html", selectors.organisation_measures(
        user=request.user, organisation=organisation
    )
