"""Who may read and who may enter which figures, as sets the views and services ask (like programme.access).

Reading: everyone of a region reads its figures; the national team reads every region (small numbers
suppressed); anyone else gets a 404. Entering: the project leader for every municipality and indicator of
their region; a partner such as Veilig Thuis for every municipality of its region(s), the indicators its kind
of organisation supplies; a municipal adviser for their own municipality, the indicators municipalities supply.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from programme.access import scope_of
from programme.models import Indicator, Organisation, OrganisationKind, Region, Role
from reporting.models import FigureSource


def regions_with_figures_visible_to(user) -> QuerySet[Region]:
    """Regions with municipalities whose figures the user may read."""
    scope = scope_of(user)
    regions = Region.objects.filter(organisations__kind=OrganisationKind.MUNICIPALITY).distinct()
    if scope.is_superuser or scope.is_national_team:
        return regions.order_by("name")
    return regions.filter(pk__in=scope.region_ids).order_by("name")


def region_for_figures(user, pk: int) -> Region:
    return get_object_or_404(regions_with_figures_visible_to(user), pk=pk)


@dataclass
class EntryRights:
    """Which (municipality, indicator) cells of one region a user may fill in."""

    region: Region
    municipalities: list[Organisation]
    indicators: list[Indicator]
    cells: dict[int, set[int]] = field(default_factory=dict)  # municipality id -> indicator ids
    # The sources the user may store figures as, by hand or from a file of their own. CBS figures are never
    # among them: they come only from a recognised CBS file or the StatLine fetch (see reporting.imports).
    sources: list[str] = field(default_factory=list)

    def allows(self, municipality_id: int, indicator_id: int) -> bool:
        return indicator_id in self.cells.get(municipality_id, ())

    @property
    def any(self) -> bool:
        return any(self.cells.values())

    @property
    def municipality_rows(self) -> list[Organisation]:
        return [m for m in self.municipalities if self.cells.get(m.pk)]

    @property
    def indicator_columns(self) -> list[Indicator]:
        used = set().union(*self.cells.values()) if self.cells else set()
        return [i for i in self.indicators if i.pk in used]


def entry_rights(user, region: Region) -> EntryRights:
    """The cells of `region` the user may enter, in three queries whatever the size of the region."""
    scope = scope_of(user)
    municipalities = list(
        Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY).order_by("name")
    )
    indicators = list(Indicator.objects.order_by("code"))
    rights = EntryRights(region=region, municipalities=municipalities, indicators=indicators)
    all_indicators = {i.pk for i in indicators}
    if scope.is_superuser or scope.is_project_leader_of(region.pk):
        rights.cells = {m.pk: set(all_indicators) for m in municipalities}
        # The project leader enters figures on behalf of the partners of the region.
        rights.sources = [FigureSource.VEILIG_THUIS, FigureSource.MUNICIPALITY, FigureSource.OTHER]
        return rights
    adviser_orgs = {
        org for org, region_id, role in scope.memberships if role == Role.POLICY_ADVISER and region_id == region.pk
    }
    if not adviser_orgs:
        return rights
    kinds = dict(Organisation.objects.filter(pk__in=adviser_orgs).values_list("pk", "kind"))
    municipality_ids = {m.pk for m in municipalities}
    for org_id, kind in kinds.items():
        supplied = {i.pk for i in indicators if kind in (i.supplier_kinds or [])}
        if not supplied:
            continue
        targets = [org_id] if kind == OrganisationKind.MUNICIPALITY else municipality_ids
        for municipality_id in targets:
            if municipality_id in municipality_ids:
                rights.cells.setdefault(municipality_id, set()).update(supplied)
        source = SOURCE_OF_KIND.get(kind, FigureSource.OTHER)
        if source not in rights.sources:
            rights.sources.append(source)
    return rights


# Each organisation stores its own registration: Veilig Thuis as Veilig Thuis, a municipality as municipal.
SOURCE_OF_KIND = {OrganisationKind.VEILIG_THUIS: FigureSource.VEILIG_THUIS,
                  OrganisationKind.MUNICIPALITY: FigureSource.MUNICIPALITY}


def regions_for_entry(user) -> list[Region]:
    """Regions (with municipalities) in which the user may enter at least one figure."""
    scope = scope_of(user)
    if not scope.has_any_role:
        return []
    candidates = regions_with_figures_visible_to(user)
    if not scope.is_superuser:
        candidates = candidates.filter(pk__in=scope.region_ids)
    return [region for region in candidates if entry_rights(user, region).any]


def can_manage_reference(user) -> bool:
    """Periods and indicators are shared by all regions; any project leader (or administrator) maintains them."""
    scope = scope_of(user)
    return scope.is_superuser or bool(scope.region_ids_with_role(Role.PROJECT_LEADER))
