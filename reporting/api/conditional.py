"""ETag and Last-Modified for the API: a nightly BI refresh that finds nothing changed gets a 304 and no data.

The validator is the dashboards' data fingerprint (one query over indexed maxima and counts, no rows of the data
tables read) combined with who asks and what exactly they ask, so a 304 costs the authentication, the user's
memberships and that one query. Last-Modified is the moment this process first saw the current fingerprint.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from reporting.dashboards.cache import data_fingerprint

SEEN_SECONDS = 30 * 24 * 3600


def validators(request) -> tuple[str, object]:
    fingerprint = data_fingerprint()
    renderer = getattr(request, "accepted_renderer", None)
    parts = (fingerprint, request.user.pk, request.get_full_path(), getattr(renderer, "format", ""), get_language())
    etag = quote_etag(hashlib.sha256(repr(parts).encode()).hexdigest()[:32])
    seen_key = f"ghnt:api:seen:{fingerprint}"
    first_seen = cache.get(seen_key)
    if first_seen is None:
        first_seen = timezone.now().replace(microsecond=0)
        cache.set(seen_key, first_seen, SEEN_SECONDS)
    return etag, first_seen


class ConditionalMixin:
    """list/retrieve answer 304 when the client's ETag (or date) still holds, and stamp both on every 200."""

    def _conditional(self, request, handler, *args, **kwargs):
        etag, last_modified = validators(request)
        not_modified = get_conditional_response(request._request, etag=etag,
                                                last_modified=int(last_modified.timestamp()))
        if not_modified is not None:
            not_modified["ETag"] = etag
            return not_modified
        response = handler(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified.timestamp())
            response["Cache-Control"] = "private, no-cache"
        return response

    def list(self, request, *args, **kwargs):
        return self._conditional(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._conditional(request, super().retrieve, *args, **kwargs)
