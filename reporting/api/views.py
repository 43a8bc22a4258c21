"""Viewsets of the read API: configuration only (queryset from the API selectors, serializer, filters).

Every queryset comes from a selector scoped to the user, so another region's object is a 404 and the national
team sees no drafts; figures go through the pages' disclosure step in the serializer.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets

from programme.access import require_role
from reporting.api import filters, selectors, serializers
from reporting.api.conditional import ConditionalMixin
from reporting.api.pagination import FigureCursorPagination


class ApiViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user)


class RegionViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_regions)
    serializer_class = serializers.RegionSerializer


class OrganisationViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_organisations)
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter


class ProgrammeViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_programmes)
    serializer_class = serializers.ProgrammeSerializer


class ActionLineViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_action_lines)
    serializer_class = serializers.ActionLineSerializer
    filterset_fields = ["programme"]


class GoalViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_goals)
    serializer_class = serializers.GoalSerializer
    filterset_fields = ["action_line"]


class ThemeViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_themes)
    serializer_class = serializers.ThemeSerializer
    filterset_fields = ["action_line"]


class NationalMeasureViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_national_measures)
    serializer_class = serializers.NationalMeasureSerializer
    filterset_fields = ["programme", "action_line", "theme"]


class IndicatorViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_indicators)
    serializer_class = serializers.IndicatorSerializer


class PeriodViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_periods)
    serializer_class = serializers.PeriodSerializer
    filterset_fields = ["kind", "year"]


class MeasureViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_measures)
    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureFilter


class FigureViewSet(ApiViewSet):
    """Figures per municipality, indicator, period and source, as they may leave their region."""

    selector = staticmethod(selectors.api_figures)
    serializer_class = serializers.FigureSerializer
    filterset_class = filters.FigureFilter
    pagination_class = FigureCursorPagination

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "disclosures": selectors.Disclosures(self.request.user)}


class ReportViewSet(ApiViewSet):
    """Approved progress reports; the detail carries the frozen snapshot as the report page shows it to you."""

    selector = staticmethod(selectors.api_reports)
    filterset_fields = ["programme", "period"]

    def get_serializer_class(self):
        return serializers.ReportDetailSerializer if self.action == "retrieve" else serializers.ReportSerializer


class BottleneckViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_bottlenecks)
    serializer_class = serializers.BottleneckSerializer
    filterset_class = filters.BottleneckFilter


class LessonViewSet(ApiViewSet):
    selector = staticmethod(selectors.api_lessons)
    serializer_class = serializers.LessonSerializer
    filterset_class = filters.LessonFilter


@extend_schema(exclude=True)
@login_required
def api_docs_view(request):
    """The Dutch page on connecting Power BI, Excel, R and Python."""
    require_role(request.user)
    number, per = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"].split("/")
    units = {"s": _("second"), "m": _("minute"), "h": _("hour"), "d": _("day")}
    return render(request, "reporting/api/api_docs.html", {
        "tokens_url": reverse("reporting:api_token_list"), "requests": number, "per": units.get(per[:1], per),
    })
