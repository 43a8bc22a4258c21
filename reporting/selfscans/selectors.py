"""Reads of the self-scan, scoped to the user: what is out of scope does not exist (a 404).

The region's overviews (heat map, low criteria, completeness, trends) each run a fixed number of queries,
whatever the number of municipalities: aggregation happens in the database, grouped by municipality and theme.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from programme.access import scope_of
from programme.models import Organisation, OrganisationKind, Role
from reporting.models import (
    ScanAnswer,
    ScanCriterion,
    ScanFramework,
    ScanImprovement,
    ScanStatus,
    ScanTheme,
    ScanTransition,
    SelfScan,
)
from reporting.selfscans import access

# The national team sees a region's averages only when at least this many teams submitted their scan.
NATIONAL_MINIMUM_TEAMS = 3
LOW_SCORE = 2  # "started" or lower


# Scope -------------------------------------------------------------------------------------------------------


def frameworks_visible_to(user) -> QuerySet[ScanFramework]:
    """The frameworks of the user's regions; regional pages are not for the national team."""
    scope = scope_of(user)
    queryset = ScanFramework.objects.select_related("region", "previous")
    if scope.is_superuser:
        return queryset
    return queryset.filter(region_id__in=scope.region_ids)


def framework_for(*, user, pk: int) -> ScanFramework:
    return get_object_or_404(frameworks_visible_to(user), pk=pk)


def scans_visible_to(user) -> QuerySet[SelfScan]:
    """Full readers see every scan they may read in full; other members of the region its submitted scans."""
    scope = scope_of(user)
    queryset = SelfScan.objects.select_related("framework", "framework__region", "municipality", "created_by")
    if scope.is_superuser:
        return queryset
    full = (Q(framework__region_id__in=scope.region_ids_with_role(Role.PROJECT_LEADER)
              | scope.region_ids_with_role(Role.STEERING_GROUP))
            | Q(municipality_id__in=scope.organisation_ids))
    scores_only = Q(framework__region_id__in=scope.region_ids, status=ScanStatus.SUBMITTED)
    return queryset.filter(full | scores_only)


def scan_for(*, user, pk: int) -> SelfScan:
    return get_object_or_404(scans_visible_to(user), pk=pk)


def improvement_for(*, user, pk: int) -> ScanImprovement:
    improvement = get_object_or_404(ScanImprovement.objects.select_related("scan", "measure"), pk=pk)
    scan = scan_for(user=user, pk=improvement.scan_id)
    if not access.reads_full_scan(user, scan):
        raise Http404
    improvement.scan = scan
    return improvement


def own_municipalities(user, framework: ScanFramework) -> list[Organisation]:
    """The municipalities of the framework's region whose scan the user fills in."""
    scope = scope_of(user)
    return list(Organisation.objects.filter(
        pk__in=scope.organisation_ids_with_role(Role.POLICY_ADVISER), kind=OrganisationKind.MUNICIPALITY,
        region_id=framework.region_id).order_by("name"))


# One scan ----------------------------------------------------------------------------------------------------


def scan_answers(scan: SelfScan) -> list[ScanAnswer]:
    return list(scan.answers.select_related("criterion", "criterion__theme")
                .order_by("criterion__theme__order", "criterion__theme_id", "criterion__order", "criterion_id"))


def answers_by_theme(answers: list[ScanAnswer]) -> list[dict]:
    themes: dict[int, dict] = {}
    for answer in answers:
        theme = answer.criterion.theme
        themes.setdefault(theme.pk, {"theme": theme, "answers": []})["answers"].append(answer)
    return list(themes.values())


def scan_transitions(scan: SelfScan) -> list[ScanTransition]:
    return list(scan.transitions.select_related("user").order_by("at", "pk"))


def open_return(transitions: list[ScanTransition]) -> ScanTransition | None:
    for transition in reversed(transitions):
        if transition.to_status == ScanStatus.SUBMITTED:
            return None
        if transition.to_status == ScanStatus.RETURNED:
            return transition
    return None


def scan_improvements(scan: SelfScan) -> list[ScanImprovement]:
    return list(scan.improvements.select_related("criterion", "measure").order_by("pk"))


def newer_version_of(scan: SelfScan) -> SelfScan | None:
    return (SelfScan.objects.filter(framework_id=scan.framework_id, municipality_id=scan.municipality_id,
                                    revision__gt=scan.revision).order_by("-revision").first())


# The region's view -------------------------------------------------------------------------------------------


def current_scans(framework_ids) -> QuerySet[SelfScan]:
    """Per municipality and framework the latest submitted version: what the region's overviews count."""
    newer = SelfScan.objects.filter(framework=OuterRef("framework"), municipality=OuterRef("municipality"),
                                    status=ScanStatus.SUBMITTED, revision__gt=OuterRef("revision"))
    return SelfScan.objects.filter(framework_id__in=framework_ids, status=ScanStatus.SUBMITTED).exclude(Exists(newer))


def region_municipalities(region_id) -> list[Organisation]:
    return list(Organisation.objects.filter(region_id=region_id, kind=OrganisationKind.MUNICIPALITY)
                .order_by("name").only("pk", "name"))


@dataclass
class HeatMap:
    themes: list[ScanTheme]
    rows: list[dict]  # {"municipality", "scan_id", "values": [avg or None per theme]}
    region_average: list  # per theme

    @property
    def submitted(self) -> int:
        return sum(1 for row in self.rows if row["scan_id"])


def heat_map(framework: ScanFramework) -> HeatMap:
    """Average score per municipality and theme over the current submitted scans ('not applicable' left out).

    Three queries: themes, municipalities, one grouped aggregate.
    """
    themes = list(framework.themes.order_by("order", "pk"))
    municipalities = region_municipalities(framework.region_id)
    averages = (ScanAnswer.objects.filter(scan__in=current_scans([framework.pk]))
                .values("scan_id", "scan__municipality_id", "criterion__theme_id")
                .annotate(average=Avg("score")))
    cells: dict[int, dict] = {}
    scan_of: dict[int, int] = {}
    for row in averages:
        scan_of[row["scan__municipality_id"]] = row["scan_id"]
        cells.setdefault(row["scan__municipality_id"], {})[row["criterion__theme_id"]] = row["average"]
    rows = [{"municipality": m, "scan_id": scan_of.get(m.pk),
             "values": [cells.get(m.pk, {}).get(t.pk) for t in themes]} for m in municipalities]
    region_average = []
    for index in range(len(themes)):
        values = [row["values"][index] for row in rows if row["values"][index] is not None]
        region_average.append(sum(values) / len(values) if values else None)
    return HeatMap(themes=themes, rows=rows, region_average=region_average)


def low_criteria(framework: ScanFramework, *, limit: int = 10) -> list[dict]:
    """The criteria most teams score low on (1 or 2), with how many teams did and the region's average."""
    rows = (ScanAnswer.objects.filter(scan__in=current_scans([framework.pk]))
            .values("criterion_id", "criterion__text", "criterion__theme__name")
            .annotate(low=Count("pk", filter=Q(score__lte=LOW_SCORE)), scored=Count("score"), average=Avg("score"))
            .filter(low__gt=0).order_by("-low", "average", "criterion__text")[:limit])
    return list(rows)


def completeness(framework: ScanFramework) -> list[dict]:
    """Per municipality of the region the state of its scan of the year (latest version), in two queries."""
    latest: dict[int, SelfScan] = {}
    for scan in SelfScan.objects.filter(framework=framework).order_by("revision").only(
            "pk", "municipality_id", "status", "revision", "submitted_at"):
        latest[scan.municipality_id] = scan
    submitted = set(current_scans([framework.pk]).values_list("municipality_id", flat=True))
    return [{"municipality": m, "scan": latest.get(m.pk), "has_submitted": m.pk in submitted}
            for m in region_municipalities(framework.region_id)]


def framework_criteria(framework: ScanFramework, trends: dict | None = None) -> dict:
    """The themes and criteria of a framework, each criterion marked new or changed against the previous year
    (with its region trend up to this year, if given), and the criteria of the previous year that were removed."""
    criteria = list(framework.criteria.select_related("theme").order_by("theme__order", "theme_id", "order", "pk"))
    previous = {}
    if framework.previous_id:
        previous = {c.key: c for c in ScanCriterion.objects.filter(framework_id=framework.previous_id)}
    themes: dict[int, dict] = {}
    for criterion in criteria:
        before = previous.get(criterion.key)
        if framework.previous_id is None:
            change = ""
        elif before is None:
            change = "new"
        elif before.text != criterion.text or before.help_text != criterion.help_text:
            change = "changed"
        else:
            change = ""
        themes.setdefault(criterion.theme_id, {"theme": criterion.theme, "criteria": []})["criteria"].append(
            {"criterion": criterion, "change": change, "previous_text": before.text if before else "",
             "trend": sorted((year, value) for year, value in (trends or {}).get(criterion.key, {}).items()
                             if year <= framework.year)})
    current_keys = {c.key for c in criteria}
    removed = [c for key, c in previous.items() if key not in current_keys]
    return {"themes": list(themes.values()), "removed": removed}


def criterion_trends(region_id, *, municipality_id=None) -> dict[str, dict[int, float]]:
    """{criterion key: {year: average score}} over the current submitted scans of every year of the region.

    A criterion is followed by its key, so a renamed criterion keeps its trend and a new one starts without.
    """
    frameworks = ScanFramework.objects.filter(region_id=region_id).values_list("pk", flat=True)
    scans = current_scans(frameworks)
    if municipality_id is not None:
        scans = scans.filter(municipality_id=municipality_id)
    trends: dict[str, dict[int, float]] = {}
    for row in (ScanAnswer.objects.filter(scan__in=scans)
                .values("criterion__key", "scan__framework__year").annotate(average=Avg("score"))):
        if row["average"] is not None:
            trends.setdefault(row["criterion__key"], {})[row["scan__framework__year"]] = row["average"]
    return trends


def team_comparison(scan: SelfScan) -> dict:
    """Per theme of the scan's framework: the team's average, the region's average and the team's own previous
    year (themes matched by key). Three queries."""
    framework = scan.framework
    themes = list(framework.themes.order_by("order", "pk"))
    framework_ids = [framework.pk] + ([framework.previous_id] if framework.previous_id else [])
    own = {row["criterion__theme__key"]: row["average"] for row in
           ScanAnswer.objects.filter(scan=scan).values("criterion__theme__key").annotate(average=Avg("score"))}
    region, previous = {}, {}
    rows = (ScanAnswer.objects.filter(scan__in=current_scans(framework_ids))
            .values("criterion__theme__key", "scan__framework_id", "scan__municipality_id")
            .annotate(average=Avg("score")))
    per_theme: dict[str, list] = {}
    for row in rows:
        if row["scan__framework_id"] == framework.pk and row["average"] is not None:
            per_theme.setdefault(row["criterion__theme__key"], []).append(row["average"])
        elif (row["scan__framework_id"] == framework.previous_id
              and row["scan__municipality_id"] == scan.municipality_id):
            previous[row["criterion__theme__key"]] = row["average"]
    for key, values in per_theme.items():
        region[key] = sum(values) / len(values)
    return {
        "themes": [t.name for t in themes],
        "own": [own.get(t.key) for t in themes],
        "region": [region.get(t.key) for t in themes],
        "previous": [previous.get(t.key) for t in themes],
        "previous_year": framework.previous.year if framework.previous_id else None,
    }


def national_theme_averages(*, year: int) -> dict:
    """Per region the average per theme (by theme key) of its current submitted scans of `year`.

    A region with fewer than NATIONAL_MINIMUM_TEAMS submitted scans shows no averages at all, only that count.
    Four queries, whatever the number of regions and municipalities.
    """
    frameworks = list(ScanFramework.objects.filter(year=year).select_related("region").order_by("region__name"))
    ids = [f.pk for f in frameworks]
    counts = dict(current_scans(ids).values("framework_id").annotate(n=Count("pk")).values_list("framework_id", "n"))
    theme_names: dict[str, str] = {}
    for key, name in ScanTheme.objects.filter(framework_id__in=ids).order_by("order", "pk").values_list("key", "name"):
        theme_names.setdefault(key, name)
    shown = [f.pk for f in frameworks if counts.get(f.pk, 0) >= NATIONAL_MINIMUM_TEAMS]
    averages: dict[int, dict[str, float]] = {}
    for row in (ScanAnswer.objects.filter(scan__in=current_scans(shown))
                .values("scan__framework_id", "criterion__theme__key").annotate(average=Avg("score"))):
        averages.setdefault(row["scan__framework_id"], {})[row["criterion__theme__key"]] = row["average"]
    keys = list(theme_names)
    rows = []
    for framework in frameworks:
        enough = counts.get(framework.pk, 0) >= NATIONAL_MINIMUM_TEAMS
        rows.append({"region": framework.region, "submitted": counts.get(framework.pk, 0), "enough": enough,
                     "values": [averages.get(framework.pk, {}).get(k) if enough else None for k in keys]})
    return {"themes": [theme_names[k] for k in keys], "rows": rows}


def linked_improvements_of_measure(*, user, measure) -> list[ScanImprovement]:
    """The points to improve that a measure acts on, as far as the user may read them in full."""
    improvements = list(ScanImprovement.objects.filter(measure=measure)
                        .select_related("scan", "scan__municipality", "scan__framework", "criterion")
                        .order_by("scan__framework__year", "scan__municipality__name", "pk"))
    return [i for i in improvements if access.reads_full_scan(user, i.scan)]


def measure_choices(scan: SelfScan):
    from measures.models import Measure

    return Measure.objects.filter(programme__region_id=scan.framework.region_id, archived_at__isnull=True
                                  ).select_related("programme").order_by("title")


def region_scores(framework: ScanFramework) -> list[tuple]:
    """Every score of the current submitted scans of a framework, for the region's export; one query."""
    return list(ScanAnswer.objects.filter(scan__in=current_scans([framework.pk]))
                .order_by("scan__municipality__name", "criterion__theme__order", "criterion__order", "criterion_id")
                .values_list("scan__municipality__name", "criterion__theme__name", "criterion__key", "criterion__text",
                             "score", "not_applicable", "scan__revision"))
