"""Writes of comments on figures."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programme.models import Indicator, Organisation, OrganisationKind, Region, ReportingPeriod
from programme.portal.audit import audit
from reporting.comments.selectors import may_read_comments
from reporting.models import FigureComment


@transaction.atomic
def figure_comment_add(*, region: Region, municipality: Organisation, indicator: Indicator,
                       period: ReportingPeriod, text: str, acting_user) -> FigureComment:
    """Add a comment to the figure of a municipality of `region` (present or still missing).

    Anyone who reads the region's comments may add one; a locked period takes comments too (they change no
    figure, and often explain why a locked figure is odd)."""
    if not may_read_comments(acting_user, region.pk):
        raise PermissionDenied
    if municipality.region_id != region.pk or municipality.kind != OrganisationKind.MUNICIPALITY:
        raise ValidationError({"municipality": _("Choose a municipality of this region.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    comment = FigureComment(indicator=indicator, organisation=municipality, period=period, text=text,
                            author=acting_user)
    comment.full_clean()
    comment.save()
    # Which figure got a comment, never its text: the audit trail holds no content.
    audit("figure_comment_added", user=acting_user, comment_id=comment.pk, region_id=region.pk,
          organisation_id=municipality.pk, indicator_id=indicator.pk, period_id=period.pk)
    return comment
