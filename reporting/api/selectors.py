"""Reads of the API: the rooms' own scoped selectors, ordered for stable paging and joined for constant queries.

Nothing here decides who sees what: that stays in programme.access, measures.access and each room's selectors,
so the API and the pages cannot drift apart. Every queryset ends its order with the primary key.
"""

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from measures.access import measures_visible_to
from measures.models import Measure, MeasureUpdate, Participation
from programme.access import (
    action_lines_visible_to,
    goals_visible_to,
    organisations_visible_to,
    programmes_visible_to,
    regions_visible_to,
    themes_visible_to,
)
from programme.models import ActionLine, Goal, Indicator, NationalMeasure, Organisation, Programme, Region, Theme
from reporting.bottlenecks.selectors import bottlenecks_visible_to
from reporting.disclosure import Disclosure
from reporting.figures.access import regions_with_figures_visible_to
from reporting.figures.selectors import indicators, periods
from reporting.lessons.selectors import lessons_visible_to
from reporting.models import ApiToken, Bottleneck, Figure, Lesson, ProgressReport, ReportStatus
from reporting.reports.content import content_for_viewer, report_content
from reporting.reports.selectors import reports_visible_to


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first: nobody else's exists for them (the admin is where others are revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_regions(user) -> QuerySet[Region]:
    return regions_visible_to(user).order_by("name", "pk")


def api_organisations(user) -> QuerySet[Organisation]:
    return organisations_visible_to(user).select_related("region").order_by("name", "pk")


def api_programmes(user) -> QuerySet[Programme]:
    return programmes_visible_to(user).order_by("level", "name", "pk")


def api_action_lines(user) -> QuerySet[ActionLine]:
    return action_lines_visible_to(user).order_by("programme_id", "number", "pk")


def api_goals(user) -> QuerySet[Goal]:
    return goals_visible_to(user).select_related("indicator", "action_line").order_by("action_line_id", "code", "pk")


def api_themes(user) -> QuerySet[Theme]:
    return themes_visible_to(user).order_by("action_line_id", "name", "pk")


def api_national_measures(user) -> QuerySet[NationalMeasure]:
    """The national catalogue, of the national programmes the user sees (every role sees those)."""
    return NationalMeasure.objects.filter(programme__in=programmes_visible_to(user)).order_by(
        "programme_id", "number", "pk")


def api_indicators(user) -> QuerySet[Indicator]:
    return indicators().order_by("code", "pk")


def api_periods(user):
    return periods().order_by("start_date", "kind", "pk")


def api_measures(user) -> QuerySet[Measure]:
    """Measures of the user's regions with their participants and latest update, in four queries per page."""
    latest = MeasureUpdate.objects.filter(measure=OuterRef("pk")).order_by("-period__end_date", "-created_at", "-pk")
    return (
        measures_visible_to(user)
        .select_related("programme", "action_line", "owner")
        .prefetch_related(Prefetch("participations", queryset=Participation.objects.select_related(
            "organisation").order_by("joined_on", "pk")))
        .annotate(
            participant_count=Count("participations", distinct=True),
            latest_update_period=Subquery(latest.values("period_id")[:1]),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("pk")
    )


def api_figures(user) -> QuerySet[Figure]:
    """Figures of the municipalities of the regions whose figures the user may read (the national team: all).

    The region ids are read first (one small query): as a subquery PostgreSQL joined all 273,600 national figures
    before taking a page (900 ms for the first page instead of 15).
    """
    region_ids = list(regions_with_figures_visible_to(user).values_list("pk", flat=True))
    return (
        Figure.objects.filter(organisation__region_id__in=region_ids)
        .select_related("indicator", "organisation", "period")
        .order_by("pk")
    )


class Disclosures:
    """The disclosure step per region for one viewer: the rooms' `Disclosure.for_viewer`, built once per region."""

    def __init__(self, user):
        self.user = user
        self._by_region: dict = {}

    def for_region(self, region_id) -> Disclosure:
        if region_id not in self._by_region:
            self._by_region[region_id] = Disclosure.for_viewer(self.user, region_id)
        return self._by_region[region_id]


def api_reports(user) -> QuerySet[ProgressReport]:
    """Approved reports only (the frozen snapshot); for the national team the latest approved version."""
    return reports_visible_to(user).filter(status=ReportStatus.APPROVED).order_by("period__start_date", "pk")


def report_content_for(user, report: ProgressReport) -> dict:
    return content_for_viewer(report_content(report), user=user, region_id=report.programme.region_id)


def api_bottlenecks(user) -> QuerySet[Bottleneck]:
    return bottlenecks_visible_to(user).order_by("pk")


def api_lessons(user) -> QuerySet[Lesson]:
    """Lessons as the role may see them: the region's own; for the national team the shared ones of every region."""
    return lessons_visible_to(user).order_by("pk")
