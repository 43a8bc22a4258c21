"""The administrator's screens: users with their memberships, organisations, reference data."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    ActionLine,
    ChangeRecord,
    DisclosureSettings,
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


# Stacked, not tabular, inlines and plain selects, not select2 (autocomplete_fields): a tabular inline's fields
# and select2's boxes have no accessible name (axe: critical), and a region has tens of organisations, not
# thousands.
class MembershipInline(admin.StackedInline):
    model = Membership
    extra = 1


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(GroupAdmin):
    filter_horizontal = ()  # a plain multiple select: the two-box widget's help icons carry prohibited ARIA


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    # Plain multiple selects (the two-box widget's help icons carry prohibited ARIA), and dates that the portal
    # sets are shown, not typed (a split date-time input has no label per part).
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined"]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class PopulationInline(admin.StackedInline):
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
    list_select_related = ["user", "organisation"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "start_date", "end_date", "successor"]
    list_filter = ["level"]
    exclude = ["version"]


class ThemeInline(admin.StackedInline):
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

    def get_readonly_fields(self, request, obj=None):
        # The small-number switch is a national setting: only a functional administrator changes it.
        return [] if request.user.is_superuser else ["suppress_small_numbers"]

    def save_model(self, request, obj, form, change):
        from programme.services.disclosure import indicator_suppression_update

        suppress = obj.suppress_small_numbers
        if change and "suppress_small_numbers" in form.changed_data:
            obj.suppress_small_numbers = not suppress
            super().save_model(request, obj, form, change)
            indicator_suppression_update(indicator=obj, acting_user=request.user, suppress=suppress)
        else:
            super().save_model(request, obj, form, change)


@admin.register(DisclosureSettings)
class DisclosureSettingsAdmin(admin.ModelAdmin):
    """One row, changed only by a functional administrator, each change audited by the service."""

    list_display = ["threshold", "updated_at"]
    fields = ["threshold"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request) and not DisclosureSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from programme.services.disclosure import disclosure_settings_update

        saved = disclosure_settings_update(acting_user=request.user, threshold=obj.threshold)
        obj.pk = saved.pk


@admin.register(NationalMeasure)
class NationalMeasureAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme", "action_line"]
    list_filter = ["programme"]
    search_fields = ["number", "title"]


@admin.register(ViolenceForm)
class ViolenceFormAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "cbs_key"]


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


# django-otp's device admins: what the portal sets (throttling) is shown, not typed; no search help text, whose
# markup leaves the search box named by its title only.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class PortalTOTPDeviceAdmin(TOTPDeviceAdmin):
    readonly_fields = [*TOTPDeviceAdmin.readonly_fields, "throttling_failure_timestamp", "throttling_failure_count"]
    search_help_text = None


class StaticTokenInline(admin.StackedInline):
    model = StaticToken
    extra = 0


@admin.register(StaticDevice)
class PortalStaticDeviceAdmin(StaticDeviceAdmin):
    inlines = [StaticTokenInline]
    readonly_fields = [*StaticDeviceAdmin.readonly_fields, "throttling_failure_timestamp",
                       "throttling_failure_count"]
    search_help_text = None
