"""Who may see and do what with self-scans; one home for the rules the selectors, services and views share.

- full readers of a scan (scores, explanations, strengths, points to improve): its municipality's members, the
  project leader and the steering group of the region;
- other members of the region: the scores of submitted scans, not the explanations;
- the national team: only the region's averages per theme (see selectors.national_theme_averages);
- editors: the municipality's policy advisers (a team coordinator gets that membership of their municipality);
- the project leader maintains the framework and returns scans.
"""

from programme.access import scope_of
from programme.models import Role


def is_project_leader(user, region_id) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or scope.is_project_leader_of(region_id)


def reads_everything_of_region(user, region_id) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or scope.is_project_leader_of(region_id) or scope.is_steering_group_of(region_id)


def reads_full_scan(user, scan) -> bool:
    return (reads_everything_of_region(user, scan.framework.region_id)
            or scan.municipality_id in scope_of(user).organisation_ids)


def edits_scan_of(user, municipality_id) -> bool:
    return municipality_id in scope_of(user).organisation_ids_with_role(Role.POLICY_ADVISER)


def links_improvements(user, scan) -> bool:
    """The project leader and the municipality's advisers turn points to improve into action."""
    return is_project_leader(user, scan.framework.region_id) or edits_scan_of(user, scan.municipality_id)
