"""Reads of measures for pages and exports, always scoped to the user through measures.access."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format

from programme import calendar
from programme.access import regions_visible_to, scope_of
from programme.models import (
    ChangeRecord,
    Goal,
    Organisation,
    Programme,
    ProgrammeLevel,
    Region,
    ReportingPeriod,
    Role,
)

from .access import measures_visible_to, region_organisations
from .filters import MeasureFilter
from .models import (
    Assessment,
    FundingGrant,
    FundingSource,
    GoalContribution,
    Measure,
    MeasureStatus,
    MeasureUpdate,
    Participation,
)

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _spent_subquery():
    return Coalesce(
        Subquery(
            MeasureUpdate.objects.filter(measure_id=OuterRef("pk"))
            .values("measure_id")
            .annotate(total=Sum("spent"))
            .values("total")[:1],
            output_field=MONEY,
        ),
        Value(Decimal("0")),
        output_field=MONEY,
    )


def _participant_count_subquery():
    return Coalesce(
        Subquery(
            Participation.objects.filter(measure_id=OuterRef("pk"))
            .values("measure_id")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def measure_filter(*, user, params) -> MeasureFilter:
    """The bound filter of the list page and the exports over the measures the user may see."""
    queryset = (
        measures_visible_to(user)
        .select_related("action_line", "owner", "programme", "funding_source")
        .annotate(participant_count=_participant_count_subquery(), spent_total=_spent_subquery())
    )
    return MeasureFilter(params, queryset=queryset, user=user)


def measures_for_export(*, user, params) -> QuerySet[Measure]:
    """Exactly the rows of the filtered list, with everything the export columns need prefetched."""
    return measure_filter(user=user, params=params).qs.prefetch_related(
        "goals",
        "themes",
        "violence_forms",
        "national_measures",
        Prefetch("participations", queryset=Participation.objects.select_related("organisation")),
    )


def measure_detail(*, user, pk: int) -> Measure:
    """One visible measure with its links, participants, updates and assessments in a fixed number of queries."""
    queryset = measures_visible_to(user).select_related(
        "programme", "programme__region", "action_line", "owner", "funding_source"
    ).prefetch_related(
        Prefetch("goals", queryset=Goal.objects.select_related("action_line").order_by("code")),
        "themes",
        "violence_forms",
        "national_measures",
        Prefetch("participations", queryset=Participation.objects.select_related("organisation")),
        Prefetch(
            "updates",
            queryset=MeasureUpdate.objects.select_related("period", "author").order_by("-period__start_date"),
        ),
        Prefetch(
            "assessments",
            queryset=Assessment.objects.select_related("assessed_by").prefetch_related(
                Prefetch("contributions", queryset=GoalContribution.objects.select_related("goal"))
            ),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def measure_for_edit(*, user, pk: int) -> Measure:
    """A visible measure with what the edit pages and services read (404 when out of scope)."""
    return get_object_or_404(
        measures_visible_to(user).select_related("programme", "programme__region", "action_line", "owner"), pk=pk
    )


def spent_of(measure: Measure) -> Decimal:
    return sum((update.spent for update in measure.updates.all()), Decimal("0"))


def participation_phases(measure: Measure) -> list[dict]:
    """Participations grouped by the date they joined: the phased intake of a pilot like MDA++."""
    phases: dict[datetime.date, list[Participation]] = defaultdict(list)
    for participation in measure.participations.all():
        phases[participation.joined_on].append(participation)
    return [
        {"joined_on": joined_on, "participations": sorted(items, key=lambda p: p.organisation.name)}
        for joined_on, items in sorted(phases.items())
    ]


def latest_assessment(measure: Measure) -> Assessment | None:
    assessments = list(measure.assessments.all())
    return max(assessments, key=lambda a: a.assessed_at) if assessments else None


def creatable_programmes(*, user) -> QuerySet[Programme]:
    """Regional programmes in whose region the user may enter measures (advisers and project leaders)."""
    scope = scope_of(user)
    programmes = Programme.objects.filter(level=ProgrammeLevel.REGIONAL).select_related("region")
    if scope.is_superuser:
        return programmes.order_by("-start_date")
    regions = scope.region_ids_with_role(Role.POLICY_ADVISER) | scope.region_ids_with_role(Role.PROJECT_LEADER)
    return programmes.filter(region_id__in=regions).order_by("-start_date")


def owner_choices(*, user, programme: Programme) -> QuerySet[Organisation]:
    from programme.access import organisations_editable_by

    return organisations_editable_by(user).filter(
        pk__in=region_organisations(programme.region_id).values("pk")
    ).order_by("name")


def owner_choices_for_edit(*, user, measure: Measure) -> QuerySet[Organisation]:
    """The owner choices of the edit form, always including the current owner so a save does not drop it."""
    owners = owner_choices(user=user, programme=measure.programme)
    if measure.owner_id not in {owner.pk for owner in owners}:
        owners = owners | Organisation.objects.filter(pk=measure.owner_id)
    return owners


def measure_has_updates(measure: Measure) -> bool:
    return measure.updates.exists()


def assessment_goals(*, measure: Measure) -> QuerySet[Goal]:
    """Every goal of the programme, in the order the assessment form asks about them."""
    return (
        Goal.objects.filter(action_line__programme=measure.programme)
        .select_related("action_line")
        .order_by("action_line__number", "code")
    )


def reportable_periods(*, measure: Measure) -> QuerySet[ReportingPeriod]:
    """Quarters from the programme's start until now, newest first."""
    return ReportingPeriod.objects.filter(
        kind="quarter", start_date__lte=calendar.today(), end_date__gte=measure.programme.start_date
    ).order_by("-start_date")


def new_update_initial(*, measure: Measure, periods: QuerySet[ReportingPeriod]) -> dict:
    """A new progress update starts from the measure's current state and the newest reportable quarter."""
    return {
        "status": measure.status if measure.status != MeasureStatus.PROPOSED else "",
        "health": measure.health,
        "progress": measure.progress,
        "period": periods.values_list("pk", flat=True).first(),
    }


def update_for_edit(*, user, pk: int) -> MeasureUpdate:
    """A progress update of a visible measure (404 when out of scope)."""
    return get_object_or_404(
        MeasureUpdate.objects.filter(measure__in=measures_visible_to(user)).select_related(
            "measure", "measure__programme", "period"
        ),
        pk=pk,
    )


def participation_for_edit(*, user, pk: int) -> Participation:
    """A participation in a visible measure (404 when out of scope)."""
    return get_object_or_404(
        Participation.objects.filter(measure__in=measures_visible_to(user)).select_related(
            "measure", "measure__programme", "organisation"
        ),
        pk=pk,
    )


# History --------------------------------------------------------------------------------------------

def _display(value, field) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return "; ".join(_display(item, field) for item in value)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, str) and len(value) == 10:
        parsed = parse_date(value) if value[4:5] == "-" else None
        if parsed:
            return date_format(parsed, "j F Y")
    if isinstance(value, str) and "T" in value:
        parsed = parse_datetime(value)
        if parsed:
            return date_format(parsed, "j F Y H:i")
    return str(value)


def _field_label(model, name: str, goals_by_code: dict) -> tuple[str, object]:
    from django.utils.translation import gettext as _

    if name.startswith("goal:"):
        code = name.split(":", 1)[1]
        label = _("Contribution to goal %(goal)s") % {"goal": goals_by_code.get(code, code)}
        return label, GoalContribution._meta.get_field("contribution")
    if name == "participants":
        return str(Measure._meta.get_field("participants").verbose_name), None
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since the change was logged still shows by name
        return name, None
    return str(field.verbose_name), field


def measure_history(measure: Measure) -> list[dict]:
    """The change log of a measure and of its updates and assessments, newest first, labels readable."""
    types = ContentType.objects.get_for_models(Measure, MeasureUpdate, Assessment)
    update_ids = list(measure.updates.values_list("pk", flat=True))
    assessment_ids = list(measure.assessments.values_list("pk", flat=True))
    records = ChangeRecord.objects.filter(
        Q(content_type=types[Measure], object_id=measure.pk)
        | Q(content_type=types[MeasureUpdate], object_id__in=update_ids)
        | Q(content_type=types[Assessment], object_id__in=assessment_ids)
    ).select_related("user", "content_type")
    goals_by_code = {
        goal.code: str(goal) for goal in Goal.objects.filter(action_line__programme_id=measure.programme_id)
    }
    model_of = {types[model].pk: model for model in (Measure, MeasureUpdate, Assessment)}
    entries = []
    for record in records:
        model = model_of[record.content_type_id]
        rows = []
        for name, values in (record.changes or {}).items():
            label, field = _field_label(model, name, goals_by_code)
            before, after = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
            rows.append({"label": label, "before": _display(before, field), "after": _display(after, field)})
        entries.append({
            "record": record,
            "kind": model._meta.verbose_name,
            "by": (record.user.get_full_name() or record.user.username) if record.user else "",
            "rows": rows,
        })
    return entries


# Organisation and home pages -------------------------------------------------------------------------

def organisation_measures(*, user, organisation: Organisation) -> dict:
    visible = measures_visible_to(user).filter(archived_at__isnull=True)
    owned = list(visible.filter(owner=organisation).select_related("action_line").order_by("title"))
    participations = list(
        Participation.objects.filter(organisation=organisation, measure__in=visible)
        .select_related("measure", "measure__owner")
        .order_by("joined_on", "measure__title")
    )
    return {"owned": owned, "participations": participations}


def own_organisation_measures(*, user, limit: int = 5) -> tuple[list[Measure], int]:
    scope = scope_of(user)
    own = scope.organisation_ids_with_role(Role.POLICY_ADVISER)
    queryset = measures_visible_to(user).filter(owner_id__in=own, archived_at__isnull=True)
    return list(queryset.select_related("owner").order_by("-updated_at")[:limit]), queryset.count()


def proposals_awaiting_assessment(*, user) -> QuerySet[Measure]:
    scope = scope_of(user)
    led = scope.region_ids_with_role(Role.PROJECT_LEADER)
    return (
        measures_visible_to(user)
        .filter(programme__region_id__in=led, status=MeasureStatus.PROPOSED, archived_at__isnull=True)
        .select_related("owner")
        .order_by("created_at")
    )


# Funding ---------------------------------------------------------------------------------------------

def funding_home_region(*, user) -> Region | None:
    """The region whose funding page the user lands on: the first with a regional programme they work in."""
    scope = scope_of(user)
    if not (scope.is_superuser or scope.region_ids):
        return None
    return regions_visible_to(user).filter(programmes__level=ProgrammeLevel.REGIONAL).order_by("name").first()


def funding_region(*, user, pk: int) -> Region:
    """A region whose funding the user may see: any for a superuser, otherwise one they work in (else 404)."""
    scope = scope_of(user)
    regions = Region.objects.all() if scope.is_superuser else Region.objects.filter(pk__in=scope.region_ids)
    return get_object_or_404(regions, pk=pk)


def funding_overview(*, region_id: int) -> dict:
    """Per funding source and year: granted (grants), planned (budgets by start year), spent (updates by year).

    Three aggregate queries whatever the number of measures.
    """
    measures = Measure.objects.filter(programme__region_id=region_id, archived_at__isnull=True).exclude(
        status=MeasureStatus.REJECTED
    )
    granted = (
        FundingGrant.objects.filter(Q(programme__region_id=region_id) | Q(recipient__region_id=region_id))
        .values("source_id", "year")
        .annotate(total=Sum("amount"))
    )
    planned = (
        measures.filter(budget__isnull=False)
        .annotate(year=ExtractYear("start_date"))
        .values("funding_source_id", "year")
        .annotate(total=Sum("budget"))
    )
    spent = (
        MeasureUpdate.objects.filter(measure__in=measures)
        .values("measure__funding_source_id", "period__year")
        .annotate(total=Sum("spent"))
    )
    table: dict[tuple, dict] = defaultdict(lambda: {"granted": Decimal("0"), "planned": Decimal("0"),
                                                    "spent": Decimal("0")})
    for row in granted:
        table[(row["source_id"], row["year"])]["granted"] += row["total"] or 0
    for row in planned:
        table[(row["funding_source_id"], row["year"])]["planned"] += row["total"] or 0
    for row in spent:
        table[(row["measure__funding_source_id"], row["period__year"])]["spent"] += row["total"] or 0
    sources = {source.pk: source for source in FundingSource.objects.all()}
    groups = []
    source_ids = sorted({key[0] for key in table}, key=lambda pk: (pk is None, str(sources.get(pk, ""))))
    for source_id in source_ids:
        years = sorted((key[1] for key in table if key[0] == source_id), key=lambda y: (y is None, y or 0))
        rows = [{"year": year, **table[(source_id, year)]} for year in years]
        totals = {k: sum((row[k] for row in rows), Decimal("0")) for k in ("granted", "planned", "spent")}
        groups.append({"source": sources.get(source_id), "rows": rows, "totals": totals})
    return {"groups": groups}
