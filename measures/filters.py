"""The filters of the measure list; the same filter drives the page and the exports, so both show the same rows."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from programme.access import scope_of
from programme.models import (
    ActionLine,
    Goal,
    NationalMeasure,
    Organisation,
    OrganisationKind,
    ProgrammeLevel,
    Theme,
    ViolenceForm,
)

from .models import Health, Measure, MeasureStatus, Participation


class ArchivedChoice:
    CURRENT = ""
    ALL = "all"
    ONLY = "only"


def _region_ids(user):
    scope = scope_of(user)
    return None if scope.is_superuser else scope.region_ids


def _in_regions(queryset, lookup, user):
    region_ids = _region_ids(user)
    return queryset if region_ids is None else queryset.filter(**{f"{lookup}__in": region_ids})


def _related_exists(through_model, field: str, value):
    return Exists(through_model.objects.filter(measure_id=OuterRef("pk"), **{field: value}))


class MeasureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    action_line = django_filters.ModelChoiceFilter(label=_("Action line"), queryset=ActionLine.objects.none())
    goal = django_filters.ModelChoiceFilter(label=_("Goal"), queryset=Goal.objects.none(), method="filter_goal")
    theme = django_filters.ModelChoiceFilter(label=_("Theme"), queryset=Theme.objects.none(), method="filter_theme")
    owner = django_filters.ModelChoiceFilter(label=_("Owner organisation"), queryset=Organisation.objects.none())
    municipality = django_filters.ModelChoiceFilter(
        label=_("Participating municipality"), queryset=Organisation.objects.none(), method="filter_municipality"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeasureStatus.choices, empty_label=_("All"))
    health = django_filters.ChoiceFilter(label=_("Health"), choices=Health.choices, empty_label=_("All"))
    violence_form = django_filters.ModelChoiceFilter(
        label=_("Form of violence"), queryset=ViolenceForm.objects.none(), method="filter_violence_form"
    )
    national_measure = django_filters.ModelChoiceFilter(
        label=_("National measure"), queryset=NationalMeasure.objects.none(), method="filter_national_measure"
    )
    archived = django_filters.ChoiceFilter(
        label=_("Archived measures"),
        choices=[(ArchivedChoice.ALL, _("show them too")), (ArchivedChoice.ONLY, _("only archived"))],
        empty_label=_("hide"),
        method="filter_archived",
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Action line and title"),
        fields=[
            ("title", "title"),
            ("owner__name", "owner"),
            ("status", "status"),
            ("health", "health"),
            ("progress", "progress"),
            ("start_date", "start"),
            ("updated_at", "updated"),
        ],
        field_labels={
            "title": _("Title"),
            "owner__name": _("Owner organisation"),
            "status": _("Status"),
            "health": _("Health"),
            "progress": _("Progress"),
            "start_date": _("Start date"),
            "updated_at": _("Last changed"),
        },
    )

    class Meta:
        model = Measure
        fields = ["q", "action_line", "goal", "theme", "owner", "municipality", "status", "health",
                  "violence_form", "national_measure", "archived", "sort"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        lines = _in_regions(ActionLine.objects.filter(programme__level=ProgrammeLevel.REGIONAL),
                            "programme__region_id", user).select_related("programme")
        self.filters["action_line"].queryset = lines.order_by("programme__name", "number")
        self.filters["goal"].queryset = Goal.objects.filter(action_line__in=lines).order_by("code")
        self.filters["theme"].queryset = Theme.objects.filter(action_line__in=lines).order_by("name")
        organisations = Organisation.objects.exclude(kind=OrganisationKind.NATIONAL)
        region_ids = _region_ids(user)
        if region_ids is not None:
            scope = scope_of(user)
            organisations = organisations.filter(region_id__in=region_ids | scope.ancestor_region_ids)
        self.filters["owner"].queryset = organisations.order_by("name")
        self.filters["municipality"].queryset = organisations.filter(kind=OrganisationKind.MUNICIPALITY).order_by(
            "name"
        )
        self.filters["violence_form"].queryset = ViolenceForm.objects.all()
        self.filters["national_measure"].queryset = NationalMeasure.objects.order_by("number")

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for name, field in form.fields.items():
                css = "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
                field.widget.attrs.setdefault("class", css)
            form.fields["q"].widget.input_type = "search"
            form._styled = True
        return form

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Archived measures stay out of the list unless asked for; the archived filter handles the other cases.
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def search(self, queryset, name, value):
        # Every word must occur in one of the text fields: icontains works the same on SQLite and PostgreSQL.
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(contact_name__icontains=word)
                | Q(contact_email__icontains=word)
                | Q(owner__name__icontains=word)
            )
        return queryset

    # Many-to-many filters use EXISTS so a measure never appears twice and no DISTINCT is needed.
    def filter_goal(self, queryset, name, value):
        return queryset.filter(_related_exists(Measure.goals.through, "goal", value))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(_related_exists(Measure.themes.through, "theme", value))

    def filter_violence_form(self, queryset, name, value):
        return queryset.filter(_related_exists(Measure.violence_forms.through, "violenceform", value))

    def filter_national_measure(self, queryset, name, value):
        return queryset.filter(_related_exists(Measure.national_measures.through, "nationalmeasure", value))

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(_related_exists(Participation, "organisation", value))

    def filter_archived(self, queryset, name, value):
        if value == ArchivedChoice.ONLY:
            return queryset.filter(archived_at__isnull=False)
        return queryset


