"""Writes of the self-scan guideline: a framework per region and year, its themes and criteria."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from programme.changelog import ChangeAction, claim_version, diff, record_change
from programme.models import Region
from reporting.models import (
    ScanAnswer,
    ScanCriterion,
    ScanFramework,
    ScanStatus,
    ScanTheme,
)
from reporting.selfscans import access


def _require_project_leader(user, region_id) -> None:
    if not access.is_project_leader(user, region_id):
        raise PermissionDenied(_("Only the project leader of the region maintains the self-scan framework."))


def _require_framework_open(framework: ScanFramework) -> None:
    if framework.scans.filter(status=ScanStatus.SUBMITTED).exists():
        raise ValidationError(_("Teams have already submitted scans against this framework, so its criteria can no "
                                "longer change; change them in next year's version."))


def _unique_key(existing: set[str], text: str) -> str:
    base = slugify(text)[:50] or "item"
    key, number = base, 2
    while key in existing:
        key, number = f"{base}-{number}", number + 1
    return key


def _log_framework(framework, acting_user, changes, comment="", action=ChangeAction.UPDATE):
    record_change(instance=framework, action=action, acting_user=acting_user, changes=changes,
                  region=framework.region_id, comment=comment)


@transaction.atomic
def framework_create(*, region: Region, year: int, title: str, acting_user, deadline=None) -> ScanFramework:
    """A new year's framework, copied from the latest earlier one: themes and criteria keep their keys."""
    _require_project_leader(acting_user, region.pk)
    previous = ScanFramework.objects.filter(region=region, year__lt=year).order_by("-year").first()
    framework = ScanFramework(region=region, year=year, title=title, deadline=deadline, previous=previous)
    framework.full_clean()
    framework.save()
    if previous is not None:
        themes = {}
        for theme in previous.themes.all():
            themes[theme.pk] = ScanTheme.objects.create(framework=framework, key=theme.key, name=theme.name,
                                                        order=theme.order)
        ScanCriterion.objects.bulk_create(
            ScanCriterion(framework=framework, theme=themes[c.theme_id], key=c.key, text=c.text,
                          help_text=c.help_text, order=c.order)
            for c in previous.criteria.all()
        )
    _log_framework(framework, acting_user, {"year": [None, year]}, action=ChangeAction.CREATE)
    return framework


@transaction.atomic
def framework_update(*, framework: ScanFramework, acting_user, expected_version: int | None, title: str,
                     deadline) -> ScanFramework:
    _require_project_leader(acting_user, framework.region_id)
    before = {"title": framework.title, "deadline": str(framework.deadline or "")}
    claim_version(framework, expected_version)
    framework.title, framework.deadline = title, deadline
    framework.full_clean()
    framework.save(update_fields=["title", "deadline", "updated_at"])
    _log_framework(framework, acting_user, diff(before, {"title": title, "deadline": str(deadline or "")}))
    return framework


@transaction.atomic
def theme_add(*, framework: ScanFramework, name: str, acting_user, key: str = "") -> ScanTheme:
    _require_project_leader(acting_user, framework.region_id)
    _require_framework_open(framework)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the theme a name.")})
    existing = set(framework.themes.values_list("key", flat=True))
    order = (framework.themes.aggregate(m=Max("order"))["m"] or 0) + 1
    theme = ScanTheme(framework=framework, key=key or _unique_key(existing, name), name=name, order=order)
    theme.full_clean()
    theme.save()
    _log_framework(framework, acting_user, {"theme": [None, name]})
    return theme


@transaction.atomic
def criterion_add(*, framework: ScanFramework, theme: ScanTheme, text: str, help_text: str = "", acting_user,
                  key: str = "") -> ScanCriterion:
    """A new criterion gets a new key: it has no trend until teams have scored it."""
    _require_project_leader(acting_user, framework.region_id)
    _require_framework_open(framework)
    existing = set(framework.criteria.values_list("key", flat=True))
    order = (theme.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
    criterion = ScanCriterion(framework=framework, theme=theme, key=key or _unique_key(existing, text),
                              text=(text or "").strip(), help_text=(help_text or "").strip(), order=order)
    criterion.full_clean()
    criterion.save()
    ScanAnswer.objects.bulk_create(ScanAnswer(scan=scan, criterion=criterion)
                                   for scan in framework.scans.exclude(status=ScanStatus.SUBMITTED))
    _log_framework(framework, acting_user, {"criterion": [None, criterion.text]})
    return criterion


@transaction.atomic
def criterion_update(*, criterion: ScanCriterion, acting_user, expected_version: int | None, text: str,
                     help_text: str, theme: ScanTheme) -> ScanCriterion:
    """A renamed or reworded criterion keeps its key, so its trend goes on; the framework page shows it changed."""
    framework = criterion.framework
    _require_project_leader(acting_user, framework.region_id)
    _require_framework_open(framework)
    claim_version(framework, expected_version)
    before = {"text": criterion.text, "help_text": criterion.help_text, "theme": criterion.theme.name}
    criterion.text, criterion.help_text, criterion.theme = (text or "").strip(), (help_text or "").strip(), theme
    criterion.full_clean()
    criterion.save()
    _log_framework(framework, acting_user, diff(before, {"text": criterion.text, "help_text": criterion.help_text,
                                                         "theme": theme.name}), comment=criterion.key)
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: ScanCriterion, acting_user) -> None:
    framework = criterion.framework
    _require_project_leader(acting_user, framework.region_id)
    _require_framework_open(framework)
    ScanAnswer.objects.filter(criterion=criterion).delete()  # only answers of unsubmitted scans exist here
    text = criterion.text
    criterion.delete()
    _log_framework(framework, acting_user, {"criterion": [text, None]})
