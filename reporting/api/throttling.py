"""Throttling per token (per user for the browsable pages): the rate is the setting API_RATE (README "Read API")."""

from rest_framework.throttling import SimpleRateThrottle

from reporting.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # refused by authentication anyway
        return self.cache_format % {"scope": self.scope, "ident": ident}
