"""The administrator's screens for measures, funding sources and grants."""

from django.contrib import admin

from .models import Assessment, FundingGrant, FundingSource, Measure, MeasureUpdate, Participation


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(FundingGrant)
class FundingGrantAdmin(admin.ModelAdmin):
    list_display = ["source", "year", "recipient", "amount", "programme"]
    list_filter = ["source", "year"]


class ParticipationInline(admin.StackedInline):
    model = Participation
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    # Day-to-day work happens in the portal, where changes are logged; the admin is for repairs.
    list_display = ["title", "owner", "action_line", "status", "health", "archived_at"]
    list_filter = ["status", "health", "action_line__programme"]
    search_fields = ["title", "owner__name"]
    inlines = [ParticipationInline]
    # Archiving is a portal action with its own log; a split date-time input has no label per part either.
    readonly_fields = ["version", "archived_at"]


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(admin.ModelAdmin):
    list_display = ["measure", "period", "status", "health", "progress", "spent"]
    list_filter = ["status", "health"]
    readonly_fields = ["version"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["measure", "decision", "assessed_by", "assessed_at"]
    list_filter = ["decision"]
