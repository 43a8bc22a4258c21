"""What the API returns per resource: flat rows with ids of related objects, read-only."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from measures.models import Measure, Participation
from programme.models import (
    ActionLine,
    Goal,
    Indicator,
    NationalMeasure,
    Organisation,
    Programme,
    Region,
    ReportingPeriod,
    Theme,
)
from reporting.api.selectors import report_content_for
from reporting.disclosure import is_hidden
from reporting.models import Bottleneck, Figure, Lesson, ProgressReport


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "parent", "updated_at"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region", "cbs_code", "is_centre_municipality", "updated_at"]


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "short_name", "level", "region", "national_programme", "start_date", "end_date",
                  "successor", "description", "updated_at"]


class ActionLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionLine
        fields = ["id", "programme", "number", "name", "description", "updated_at"]


class GoalSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", default=None, read_only=True)
    direction = serializers.SerializerMethodField(help_text="up when a higher value is better, down otherwise.")

    class Meta:
        model = Goal
        fields = ["id", "action_line", "code", "title", "description", "baseline", "baseline_year", "target", "unit",
                  "deadline", "indicator", "indicator_code", "direction", "updated_at"]

    @extend_schema_field(serializers.ChoiceField(choices=["up", "down"], allow_null=True))
    def get_direction(self, goal):
        if goal.indicator is None:
            return None
        return "up" if goal.indicator.higher_is_better else "down"


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "action_line", "name", "description", "updated_at"]


class NationalMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = NationalMeasure
        fields = ["id", "programme", "action_line", "theme", "number", "title", "description", "updated_at"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "description", "unit", "periodicity", "aggregation_over_organisations",
                  "aggregation_over_time", "higher_is_better", "suppress_small_numbers", "updated_at"]


class PeriodSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "code", "kind", "year", "number", "start_date", "end_date", "deadline"]


class ParticipationSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Participation
        fields = ["organisation", "organisation_name", "joined_on", "left_on"]


class MeasureSerializer(serializers.ModelSerializer):
    participations = ParticipationSerializer(many=True, read_only=True)
    participant_count = serializers.IntegerField(read_only=True)
    latest_update_period = serializers.IntegerField(read_only=True, allow_null=True,
                                                    help_text="Reporting period (id) of the latest update.")
    latest_update_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Measure
        fields = ["id", "programme", "title", "description", "action_line", "owner", "status", "health", "progress",
                  "start_date", "end_date", "budget", "archived_at", "participant_count", "participations",
                  "latest_update_period", "latest_update_at", "updated_at"]


class FigureSerializer(serializers.ModelSerializer):
    """A figure as it may leave its region: through the disclosure step of the pages (`Disclosures` in context)."""

    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    municipality = serializers.CharField(source="organisation.name", read_only=True)
    cbs_code = serializers.CharField(source="organisation.cbs_code", read_only=True)
    region = serializers.IntegerField(source="organisation.region_id", read_only=True)
    period_code = serializers.CharField(source="period.code", read_only=True)
    period_start = serializers.DateField(source="period.start_date", read_only=True)
    period_end = serializers.DateField(source="period.end_date", read_only=True)
    value = serializers.SerializerMethodField(help_text="The value as published to you; null when hidden or absent.")
    hidden = serializers.SerializerMethodField(help_text="A small number, published as value_label only.")
    value_label = serializers.SerializerMethodField(help_text='"<5" when hidden, else null.')
    rounded = serializers.SerializerMethodField(help_text="Counts are rounded to a multiple of 5 for you.")

    class Meta:
        model = Figure
        fields = ["id", "indicator", "indicator_code", "organisation", "municipality", "cbs_code", "region", "period",
                  "period_code", "period_start", "period_end", "source", "status", "value", "hidden", "value_label",
                  "rounded", "is_provisional", "updated_at"]

    def _shown(self, figure):
        cache = self.context.setdefault("_shown", {})
        if figure.pk not in cache:
            disclosure = self.context["disclosures"].for_region(figure.organisation.region_id)
            cache[figure.pk] = disclosure.count(figure.value, suppress=figure.indicator.suppress_small_numbers)
        return cache[figure.pk]

    @extend_schema_field(OpenApiTypes.NUMBER)
    def get_value(self, figure):
        shown = self._shown(figure)
        return None if is_hidden(shown) else shown

    def get_hidden(self, figure) -> bool:
        return is_hidden(self._shown(figure))

    @extend_schema_field(OpenApiTypes.STR)
    def get_value_label(self, figure):
        shown = self._shown(figure)
        return shown if is_hidden(shown) else None

    def get_rounded(self, figure) -> bool:
        disclosure = self.context["disclosures"].for_region(figure.organisation.region_id)
        return disclosure.protects(figure.indicator.suppress_small_numbers) and figure.value is not None


class ReportSerializer(serializers.ModelSerializer):
    region = serializers.IntegerField(source="programme.region_id", read_only=True)
    period_code = serializers.CharField(source="period.code", read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "programme", "region", "period", "period_code", "revision", "status", "submitted_at",
                  "approved_at", "updated_at"]


class ReportDetailSerializer(ReportSerializer):
    content = serializers.SerializerMethodField(
        help_text="The frozen snapshot as the report page shows it to you (small numbers hidden outside the region).")

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "content"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_content(self, report):
        return report_content_for(self.context["request"].user, report)


class BottleneckSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bottleneck
        fields = ["id", "programme", "title", "description", "measure", "action_line", "severity", "status",
                  "proposed_solution", "owner_organisation", "escalated_at", "decision", "decided_at", "resolution",
                  "resolved_at", "created_at", "updated_at"]


class LessonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ["id", "programme", "period", "text", "measure", "shared_with_national_team", "created_at",
                  "updated_at"]
