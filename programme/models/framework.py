"""The regional framework and who takes part in it: regions, organisations, programmes, goals, indicators."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

cbs_municipality_code_validator = RegexValidator(
    regex=r"^GM\d{4}$",
    message=_("A municipality's CBS code is 'GM' followed by four digits, for example GM0794."),
)


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """A record that several people may edit: the version guards against silent overwrites."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class Region(TimestampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("lies within"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subregions",
        help_text=_("The larger region this region lies in, e.g. Oost-Brabant for Zuidoost-Brabant."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A region cannot lie within itself.")})
            ancestor = ancestor.parent


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    POLICE = "police", _("police")
    PUBLIC_PROSECUTOR = "public_prosecutor", _("Public Prosecution Service")
    SAFETY_HOUSE = "safety_house", _("Safety House")
    LOCAL_TEAM = "local_team", _("local team")
    CARE_PROVIDER = "care_provider", _("care provider")
    SCHOOL = "school", _("school")
    NATIONAL = "national", _("national programme team")
    OTHER = "other", _("other")


class Organisation(TimestampedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Empty only for national organisations."),
    )
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        null=True,
        blank=True,
        validators=[cbs_municipality_code_validator],
        help_text=_("For municipalities only: 'GM' followed by four digits."),
    )
    is_centre_municipality = models.BooleanField(_("centre municipality"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["cbs_code"],
                condition=Q(cbs_code__isnull=False),
                name="organisation_unique_cbs_code",
                violation_error_message=_("Another organisation already has this CBS code."),
            ),
            models.UniqueConstraint(
                fields=["name", "region"],
                name="organisation_unique_name_per_region",
                violation_error_message=_("This region already has an organisation with this name."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="municipality") | (Q(cbs_code__isnull=False) & Q(cbs_code__regex=r"^GM[0-9]{4}$")),
                name="organisation_municipality_has_cbs_code",
                violation_error_message=_("A municipality needs a CBS code: 'GM' followed by four digits."),
            ),
            models.CheckConstraint(
                condition=Q(kind="municipality") | Q(cbs_code__isnull=True),
                name="organisation_only_municipality_has_cbs_code",
                violation_error_message=_("Only a municipality has a CBS code."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.cbs_code == "":
            self.cbs_code = None
        if self.cbs_code:
            self.cbs_code = self.cbs_code.strip().upper()
        if self.kind == OrganisationKind.MUNICIPALITY and not self.cbs_code:
            raise ValidationError({"cbs_code": _("A municipality needs a CBS code: 'GM' followed by four digits.")})
        if self.kind != OrganisationKind.MUNICIPALITY and self.cbs_code:
            raise ValidationError({"cbs_code": _("Only a municipality has a CBS code.")})
        if self.kind != OrganisationKind.NATIONAL and self.region_id is None:
            raise ValidationError({"region": _("Every organisation except a national one belongs to a region.")})

    @property
    def is_municipality(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPALITY


class Population(models.Model):
    """Inhabitants of a municipality on 1 January of a year (CBS StatLine 70072ned, or an estimate)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900)])
    inhabitants = models.PositiveIntegerField(_("inhabitants"), validators=[MinValueValidator(1)])
    is_estimate = models.BooleanField(_("estimate"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["organisation__name", "-year"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="population_unique_per_year",
                violation_error_message=_("This municipality already has a population for this year."),
            ),
            models.CheckConstraint(
                condition=Q(inhabitants__gt=0),
                name="population_positive",
                violation_error_message=_("The number of inhabitants must be greater than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}: {self.inhabitants}"

    def clean(self):
        if self.organisation_id and self.organisation.kind != OrganisationKind.MUNICIPALITY:
            raise ValidationError({"organisation": _("Only municipalities have inhabitants.")})


class Role(models.TextChoices):
    PROJECT_LEADER = "project_leader", _("project leader")
    POLICY_ADVISER = "policy_adviser", _("policy adviser / partner")
    STEERING_GROUP = "steering_group", _("steering group member")
    NATIONAL_TEAM = "national_team", _("national team member")


class Membership(TimestampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["user__username", "organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique",
                violation_error_message=_("This user already has this role in this organisation."),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    def clean(self):
        if not self.organisation_id:
            return
        national = self.organisation.kind == OrganisationKind.NATIONAL
        if self.role == Role.NATIONAL_TEAM and not national:
            raise ValidationError({"role": _("The national team role belongs to a national organisation.")})
        if self.role != Role.NATIONAL_TEAM and national:
            raise ValidationError({"role": _("Members of a national organisation have the national team role.")})


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    REGIONAL = "regional", _("regional")


class Programme(TimestampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=ProgrammeLevel.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    national_programme = models.ForeignKey(
        "self",
        verbose_name=_("national programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regional_programmes",
        limit_choices_to={"level": ProgrammeLevel.NATIONAL},
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("continued in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["level", "start_date", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="programme_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=(Q(level="regional") & Q(region__isnull=False))
                | (Q(level="national") & Q(region__isnull=True)),
                name="programme_region_matches_level",
                violation_error_message=_("A regional programme has a region; a national programme has none."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.level == ProgrammeLevel.REGIONAL and not self.region_id:
            raise ValidationError({"region": _("A regional programme belongs to a region.")})
        if self.level == ProgrammeLevel.NATIONAL and self.region_id:
            raise ValidationError({"region": _("A national programme does not belong to a region.")})
        if self.successor_id and self.pk and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A programme cannot be its own successor.")})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class ActionLine(TimestampedModel, VersionedModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="action_lines"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("action line")
        verbose_name_plural = _("action lines")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="action_line_unique_number",
                violation_error_message=_("This programme already has an action line with this number."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Theme(TimestampedModel, VersionedModel):
    action_line = models.ForeignKey(
        ActionLine, verbose_name=_("action line"), on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["action_line", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["action_line", "name"],
                name="theme_unique_name",
                violation_error_message=_("This action line already has a theme with this name."),
            )
        ]

    def __str__(self):
        return self.name


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("count")
    PERCENTAGE = "percentage", _("percentage")
    EURO = "euro", _("euro")
    SCORE = "score", _("score")


class Periodicity(models.TextChoices):
    QUARTER = "quarter", _("quarter")
    HALF_YEAR = "half_year", _("half year")
    YEAR = "year", _("year")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum")
    MEAN = "mean", _("mean")
    LAST = "last", _("last")


class Indicator(TimestampedModel, VersionedModel):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=IndicatorUnit.choices)
    periodicity = models.CharField(_("periodicity"), max_length=20, choices=Periodicity.choices)
    aggregation_over_organisations = models.CharField(
        _("aggregation over municipalities"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    aggregation_over_time = models.CharField(
        _("aggregation over time"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    higher_is_better = models.BooleanField(_("higher is better"), null=True, blank=True)
    suppress_small_numbers = models.BooleanField(_("suppress small numbers"), default=False)
    supplier_kinds = models.JSONField(
        _("supplied by kinds of organisation"),
        default=list,
        blank=True,
        help_text=_("Kinds of organisation that supply this indicator."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    def clean(self):
        valid = set(OrganisationKind.values)
        unknown = [kind for kind in (self.supplier_kinds or []) if kind not in valid]
        if unknown:
            raise ValidationError({"supplier_kinds": _("Unknown kind of organisation: %(kinds)s") % {
                "kinds": ", ".join(unknown)}})
        if self.suppress_small_numbers and self.unit != IndicatorUnit.COUNT:
            raise ValidationError(
                {"suppress_small_numbers": _("Only counts can have small numbers suppressed.")}
            )


class Goal(TimestampedModel, VersionedModel):
    """A SMART goal of an action line: from a baseline to a target by a deadline."""

    action_line = models.ForeignKey(
        ActionLine, verbose_name=_("action line"), on_delete=models.CASCADE, related_name="goals"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("measured by indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
    )

    class Meta:
        ordering = ["action_line", "code"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(
                fields=["action_line", "code"],
                name="goal_unique_code",
                violation_error_message=_("This action line already has a goal with this code."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class NationalMeasure(TimestampedModel):
    """A measure of the national catalogue that regional measures can carry out."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("national programme"),
        on_delete=models.CASCADE,
        related_name="national_measures",
        limit_choices_to={"level": ProgrammeLevel.NATIONAL},
    )
    action_line = models.ForeignKey(
        ActionLine,
        verbose_name=_("national action line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="national_measures",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("national theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="national_measures",
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("national measure")
        verbose_name_plural = _("national measures")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="national_measure_unique_number",
                violation_error_message=_("This programme already has a national measure with this number."),
            )
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class ViolenceForm(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("form of violence")
        verbose_name_plural = _("forms of violence")

    def __str__(self):
        return self.name


# A period is a quarter, half year or year: the same choices as an indicator's periodicity.
PeriodKind = Periodicity


class ReportingPeriod(TimestampedModel, VersionedModel):
    """A period in which measures report progress and figures are delivered.

    It lives in programme (not reporting) because measure updates refer to it and dependencies
    point reporting -> measures -> programme.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("Quarter 1-4, half year 1-2, or 0 for a whole year.")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    deadline = models.DateField(_("submission deadline"), null=True, blank=True)

    class Meta:
        ordering = ["start_date", "kind"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"],
                name="reporting_period_unique",
                violation_error_message=_("This reporting period already exists."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="reporting_period_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def code(self) -> str:
        """The CBS StatLine period code, e.g. 2023KW01, 2023HJ01, 2023JJ00."""
        prefix = {PeriodKind.QUARTER: "KW", PeriodKind.HALF_YEAR: "HJ", PeriodKind.YEAR: "JJ"}[self.kind]
        return f"{self.year}{prefix}{self.number:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}
        if self.kind == PeriodKind.HALF_YEAR:
            return _("H%(number)s %(year)s") % {"number": self.number, "year": self.year}
        return str(self.year)

    def clean(self):
        valid_numbers = {PeriodKind.QUARTER: range(1, 5), PeriodKind.HALF_YEAR: range(1, 3), PeriodKind.YEAR: [0]}
        if self.kind in valid_numbers and self.number not in valid_numbers[self.kind]:
            raise ValidationError({"number": _("This number does not fit the kind of period.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class ChangeAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    ARCHIVE = "archive", _("archived")
    TRANSITION = "transition", _("status changed")


class ChangeRecord(models.Model):
    """One entry of the change log: who changed which record when, with the values before and after.

    Written explicitly by the services of every app, inside the transaction of the change.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=300)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    timestamp = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [models.Index(fields=["content_type", "object_id"], name="change_record_object")]

    def __str__(self):
        return f"{self.object_repr} {self.get_action_display()} {self.timestamp:%Y-%m-%d %H:%M}"
