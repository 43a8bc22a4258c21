"""Who may change the locks of a region's periods (reading them follows the region's figure history)."""

from programme.access import scope_of


def may_unlock(user, region_id: int) -> bool:
    """The project leader of the region (who logs in with a second factor) or an administrator."""
    scope = scope_of(user)
    return scope.is_superuser or scope.is_project_leader_of(region_id)
