"""Who does what: a user's role in an organisation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel
from .geography import Organisation, OrganisationKind


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
