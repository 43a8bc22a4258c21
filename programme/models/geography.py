"""Where the programme runs and who takes part: regions, organisations and their inhabitants."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel

cbs_municipality_code_validator = RegexValidator(
    regex=r"^GM\d{4}$",
    message=_("A municipality's CBS code is 'GM' followed by four digits, for example GM0794."),
)



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

    def and_ancestor_ids(self) -> set[int]:
        """This region and the larger regions around it (region_and_ancestor_ids); no query for a region that lies
        within none, as most do."""
        return {self.pk} if self.parent_id is None else region_and_ancestor_ids(self.pk)

    def clean(self):
        if self.pk is not None and self.pk in region_and_ancestor_ids(self.parent_id):
            raise ValidationError({"parent": _("A region cannot lie within itself.")})


def region_parents() -> dict[int, int]:
    """Each region that lies within a larger one, with that larger region's id: one query."""
    return dict(Region.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))


def region_and_ancestor_ids(region_id: int | None, parents: dict[int, int] | None = None) -> set[int]:
    """A region and the larger regions around it, whose organisations also work for it (Veilig Thuis
    Oost-Brabant for Zuidoost-Brabant). One query however deep the nesting, none when `parents` is given;
    a loop in the data ends the walk instead of hanging it."""
    if parents is None:
        parents = region_parents()
    ids: set[int] = set()
    current = region_id
    while current is not None and current not in ids:
        ids.add(current)
        current = parents.get(current)
    return ids


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
