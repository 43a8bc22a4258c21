"""Writes of API tokens: create (the key is returned once and only its hash stored) and revoke, both audited."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programme import calendar
from programme.portal.audit import audit
from reporting.models import ApiToken
from reporting.models.api import token_hash

KEY_PREFIX = "ghnt_"
MAX_DAYS = 366  # a forgotten token dies within a year


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def check_expiry(expires_on: datetime.date, *, field: str | None = None) -> None:
    """A token lives from tomorrow up to a year ahead: the form and the service ask this one rule."""
    today = calendar.today()
    if expires_on <= today or (expires_on - today).days > MAX_DAYS:
        message = _("Choose an expiry date from tomorrow up to one year ahead.")
        raise ValidationError({field: message} if field else message)


@transaction.atomic
def api_token_create(*, user, name: str, expires_on: datetime.date) -> tuple[ApiToken, str]:
    """A new token for `user`, valid up to and including `expires_on`; returns the token and its key (shown once)."""
    check_expiry(expires_on, field="expires_on")
    key = new_key()
    expires_at = timezone.make_aware(datetime.datetime.combine(expires_on + datetime.timedelta(days=1),
                                                               datetime.time.min))
    token = ApiToken(user=user, name=name.strip(), prefix=key[: len(KEY_PREFIX) + 6], key_hash=token_hash(key),
                     expires_at=expires_at)
    token.full_clean()
    token.save()
    audit("api_token_created", user=user, token_id=token.pk, token_name=token.name,
          expires_at=expires_at.isoformat())
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user) -> ApiToken:
    """Revoke a token: its owner may, and a functional administrator may revoke anyone's."""
    if token.user_id != acting_user.pk and not acting_user.is_superuser:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = acting_user
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit("api_token_revoked", user=acting_user, token_id=token.pk, token_owner_id=token.user_id)
    return token
