"""Filters of the API (django-filter): query parameters in English, the same for JSON and CSV."""

import django_filters as filters

from measures.models import Measure
from programme.models import Organisation
from reporting.models import Bottleneck, Figure, FigureSource, Lesson


class FigureFilter(filters.FilterSet):
    indicator = filters.CharFilter(field_name="indicator__code", help_text="Indicator code, e.g. meldingen-vt.")
    period = filters.NumberFilter(field_name="period_id", help_text="One reporting period (id).")
    period_kind = filters.CharFilter(field_name="period__kind", help_text="quarter, half_year or year.")
    period_from = filters.DateFilter(field_name="period__start_date", lookup_expr="gte",
                                     help_text="Periods starting on or after this date (YYYY-MM-DD).")
    period_to = filters.DateFilter(field_name="period__end_date", lookup_expr="lte",
                                   help_text="Periods ending on or before this date (YYYY-MM-DD).")
    municipality = filters.CharFilter(field_name="organisation__cbs_code", help_text="CBS code, e.g. GM0794.")
    organisation = filters.NumberFilter(field_name="organisation_id")
    region = filters.NumberFilter(field_name="organisation__region_id")
    source = filters.ChoiceFilter(choices=FigureSource.choices)
    is_provisional = filters.BooleanFilter()
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Figure
        fields = []


class OrganisationFilter(filters.FilterSet):
    region = filters.NumberFilter(field_name="region_id")

    class Meta:
        model = Organisation
        fields = ["kind", "cbs_code"]


class MeasureFilter(filters.FilterSet):
    programme = filters.NumberFilter(field_name="programme_id")
    action_line = filters.NumberFilter(field_name="action_line_id")
    owner = filters.NumberFilter(field_name="owner_id")

    class Meta:
        model = Measure
        fields = ["status", "health"]


class BottleneckFilter(filters.FilterSet):
    programme = filters.NumberFilter(field_name="programme_id")

    class Meta:
        model = Bottleneck
        fields = ["status", "severity"]


class LessonFilter(filters.FilterSet):
    programme = filters.NumberFilter(field_name="programme_id")
    period = filters.NumberFilter(field_name="period_id")

    class Meta:
        model = Lesson
        fields = ["shared_with_national_team"]
