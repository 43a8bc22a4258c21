"""The administrator's screens: users with their memberships, organisations, reference data."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    ActionLine,
    ChangeRecord,
    Goal,
    Indicator,
    Membership,
    NationalMeasure,
    Organisation,
    Population,
    Programme,
    Region,
    ReportingPeriod,
    Theme,
    ViolenceForm,
)

admin.site.site_header = _("GHNT portal administration")
admin.site.site_title = _("GHNT portal administration")
admin.site.index_title = _("Administration")

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class PopulationInline(admin.TabularInline):
    model = Population
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "cbs_code", "is_centre_municipality"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "cbs_code"]
    inlines = [PopulationInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__region"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "start_date", "end_date", "successor"]
    list_filter = ["level"]
    exclude = ["version"]


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    exclude = ["version"]


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0
    exclude = ["version"]


@admin.register(ActionLine)
class ActionLineAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme"]
    list_filter = ["programme"]
    inlines = [GoalInline, ThemeInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "periodicity", "suppress_small_numbers"]
    search_fields = ["code", "name"]


@admin.register(NationalMeasure)
class NationalMeasureAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme", "action_line"]
    list_filter = ["programme"]
    search_fields = ["number", "title"]


@admin.register(ViolenceForm)
class ViolenceFormAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "start_date", "end_date", "deadline"]
    list_filter = ["kind", "year"]


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ["timestamp", "object_repr", "action", "user", "region"]
    list_filter = ["action", "content_type"]
    readonly_fields = [f.name for f in ChangeRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
