"""Token authentication of the API: `Authorization: Token <key>` (or `Bearer`), every use in the audit log.

A missing, unknown, revoked or expired token, or one of a deactivated user, is a 401 (DRF answers 401 rather
than 403 because this class names a `WWW-Authenticate` scheme).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from programme.portal.audit import audit
from reporting.models import ApiToken
from reporting.models.api import token_hash

# Writing the last use at most once a minute keeps a BI refresh of many pages from writing a row per page.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        key = header[1].decode(errors="replace")
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
        now = timezone.now()
        if token is None or not token.is_usable(now) or not token.user.is_active:
            audit("api_token_refused", request=request._request, token_id=getattr(token, "pk", None))
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired token."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        audit("api_token_used", user=token.user, request=request._request, token_id=token.pk,
              query=request._request.META.get("QUERY_STRING", "")[:500])
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
