"""The change log and the guard against silent overwrites, shared by the services of every app."""

import datetime
import decimal
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import ChangeAction, ChangeRecord, Region


class ConcurrentEditError(Exception):
    """Someone else saved the record after the user opened it; nothing was written."""

    def __init__(self, current, last_change: ChangeRecord | None = None):
        super().__init__(str(_("Someone else changed this record after you opened it.")))
        self.current = current
        self.last_change = last_change


def _plain(value):
    """A JSON-safe, human-readable form of a field value for the change log."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The values of the given fields, foreign keys by name and many-to-many as sorted lists."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(str(obj) for obj in getattr(instance, name).all()) if instance.pk else []
        else:
            data[name] = _plain(getattr(instance, name))
    return data


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


def record_change(
    *,
    instance: models.Model,
    action: str,
    acting_user,
    changes: dict | None = None,
    region: Region | int | None = None,
    comment: str = "",
) -> ChangeRecord:
    region_id = region.pk if isinstance(region, Region) else region
    return ChangeRecord.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        region_id=region_id,
        action=action,
        user=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        changes=changes or {},
        comment=comment[:300],
    )


def history_of(instance: models.Model):
    """The change log of one record, newest first, with the users fetched in the same query."""
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
    ).select_related("user")


def claim_version(instance: models.Model, expected_version: int | None) -> None:
    """Raise the version of a versioned record, or fail if someone saved it after `expected_version`.

    The compare-and-swap is one UPDATE, so two concurrent saves cannot both pass it.
    """
    model = type(instance)
    if expected_version is None:
        expected_version = instance.version
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=models.F("version") + 1
    )
    if not updated:
        current = model.objects.get(pk=instance.pk)
        raise ConcurrentEditError(current=current, last_change=history_of(current).first())
    instance.version = expected_version + 1


__all__ = [
    "ChangeAction",
    "ConcurrentEditError",
    "claim_version",
    "diff",
    "history_of",
    "record_change",
    "snapshot",
]
