"""Who may see and change what: every answer is a queryset filter, so what is out of scope is a 404.

Views fetch records through these functions. A user without any role gets a 403 (`require_role`);
a record of another organisation or region simply does not exist for them.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import (
    ActionLine,
    Goal,
    Membership,
    Organisation,
    Programme,
    ProgrammeLevel,
    Region,
    Role,
    Theme,
    region_and_ancestor_ids,
    region_parents,
)


@dataclass(frozen=True)
class Scope:
    """The roles of one user, read once per request from their memberships."""

    user_id: int | None
    is_superuser: bool
    memberships: tuple  # of (organisation_id, region_id, role), expanded to the regions inside
    ancestor_region_ids: frozenset = frozenset()  # larger regions around the user's own, for their partners

    @cached_property
    def roles(self) -> set[str]:
        return {role for _org, _region, role in self.memberships}

    @cached_property
    def region_ids(self) -> set[int]:
        """Regions the user belongs to through any regional role."""
        return {region for _org, region, role in self.memberships if region and role != Role.NATIONAL_TEAM}

    @cached_property
    def organisation_ids(self) -> set[int]:
        return {org for org, _region, _role in self.memberships}

    def organisation_ids_with_role(self, role: str) -> set[int]:
        return {org for org, _region, r in self.memberships if r == role}

    def region_ids_with_role(self, role: str) -> set[int]:
        return {region for _org, region, r in self.memberships if r == role and region}

    @property
    def has_any_role(self) -> bool:
        return bool(self.memberships) or self.is_superuser

    @property
    def is_national_team(self) -> bool:
        return Role.NATIONAL_TEAM in self.roles

    @property
    def is_regional_reader(self) -> bool:
        """A member of a region through a regional role, or an administrator; the national team alone is not.

        The national team reads approved reports and the national overview, not a region's live pages
        (measures, bottlenecks, regional dashboards).
        """
        return self.is_superuser or bool(self.region_ids)

    def is_project_leader_of(self, region_id: int | None) -> bool:
        return region_id is not None and region_id in self.region_ids_with_role(Role.PROJECT_LEADER)

    def is_steering_group_of(self, region_id: int | None) -> bool:
        return region_id is not None and region_id in self.region_ids_with_role(Role.STEERING_GROUP)

    def belongs_to_region(self, region_id: int | None) -> bool:
        return region_id is not None and region_id in self.region_ids


def scope_of(user) -> Scope:
    """The scope of a user, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False):
        return Scope(user_id=None, is_superuser=False, memberships=())
    cached = getattr(user, "_ghnt_scope", None)
    if cached is not None:
        return cached
    # Whether each member's region lies within a larger one or holds smaller ones comes with the memberships: for
    # most users neither, and the regions need not be read at all (a query less on every page).
    nested = (
        Membership.objects.filter(user=user)
        .annotate(holds_regions=Exists(Region.objects.filter(parent_id=OuterRef("organisation__region_id"))))
        .values_list("organisation_id", "organisation__region_id", "role", "organisation__region__parent_id",
                     "holds_regions")
    )
    rows = []
    in_a_hierarchy = False
    for org, region, role, parent, holds_regions in nested:
        rows.append((org, region, role))
        in_a_hierarchy = in_a_hierarchy or parent is not None or holds_regions
    memberships = tuple(rows)
    ancestors: set[int] = set()
    if in_a_hierarchy:
        # A member of an organisation of a larger region (Veilig Thuis Oost-Brabant) also works for
        # the regions inside it (Zuidoost-Brabant).
        parents = region_parents()
        children: dict[int, list[int]] = {}
        for pk, parent in parents.items():
            children.setdefault(parent, []).append(pk)
        expanded = []
        for org, region, role in rows:
            stack = [region] if region else []
            while stack:
                current = stack.pop()
                expanded.append((org, current, role))
                stack.extend(children.get(current, []))
            if not region:
                expanded.append((org, None, role))
        memberships = tuple(expanded)
        for _org, region, _role in rows:
            ancestors |= region_and_ancestor_ids(parents.get(region), parents)
    scope = Scope(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        memberships=memberships,
        ancestor_region_ids=frozenset(ancestors),
    )
    user._ghnt_scope = scope
    return scope


def require_role(user) -> Scope:
    """403 for a logged-in user without any role; views call this first."""
    scope = scope_of(user)
    if not scope.has_any_role:
        raise PermissionDenied
    return scope


def require_regional_reader(user) -> Scope:
    """403 for anyone who is not a regional reader (see Scope.is_regional_reader); the regional pages call this."""
    scope = require_role(user)
    if not scope.is_regional_reader:
        raise PermissionDenied
    return scope


def regions_visible_to(user) -> QuerySet[Region]:
    scope = scope_of(user)
    if scope.is_superuser or scope.is_national_team:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.region_ids)


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """The organisations of the user's regions (all of them for the national team), plus national ones."""
    scope = scope_of(user)
    if scope.is_superuser or scope.is_national_team:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(region_id__in=scope.region_ids | scope.ancestor_region_ids) | Q(kind="national")
    )


def organisations_editable_by(user) -> QuerySet[Organisation]:
    """Organisations on whose behalf the user may enter data: their own, or the whole region for a project leader."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Organisation.objects.all()
    led_regions = scope.region_ids_with_role(Role.PROJECT_LEADER)
    own = scope.organisation_ids_with_role(Role.POLICY_ADVISER) | scope.organisation_ids_with_role(
        Role.PROJECT_LEADER
    )
    return Organisation.objects.filter(Q(region_id__in=led_regions) | Q(pk__in=own))


def programmes_visible_to(user) -> QuerySet[Programme]:
    """National programmes for everyone with a role; regional programmes of the user's regions."""
    scope = scope_of(user)
    qs = Programme.objects.select_related("region", "national_programme", "successor")
    if scope.is_superuser or scope.is_national_team:
        return qs
    return qs.filter(Q(level=ProgrammeLevel.NATIONAL) | Q(region_id__in=scope.region_ids))



def organisations_working_in(region_id: int | None) -> QuerySet[Organisation]:
    return Organisation.objects.filter(region_id__in=region_and_ancestor_ids(region_id))


def can_edit_framework(user, programme: Programme) -> bool:
    scope = scope_of(user)
    return programme.level == ProgrammeLevel.REGIONAL and (
        scope.is_superuser or scope.is_project_leader_of(programme.region_id)
    )


def action_lines_visible_to(user) -> QuerySet[ActionLine]:
    return ActionLine.objects.filter(programme__in=programmes_visible_to(user))


def goals_visible_to(user) -> QuerySet[Goal]:
    return Goal.objects.filter(action_line__programme__in=programmes_visible_to(user))


def themes_visible_to(user) -> QuerySet[Theme]:
    return Theme.objects.filter(action_line__programme__in=programmes_visible_to(user))
