"""The audit trail: one JSON line on the "ghnt.audit" logger per login, refusal, import, transition and export.

Entries say who, what and when, never the content of figures. Writes log after their transaction
commits, so an action that was rolled back never appears as done.
"""

import logging
from contextvars import ContextVar

from django.db import transaction

logger = logging.getLogger("ghnt.audit")
# The request being handled, so that services (which get no request) still log the address and path.
_current_request: ContextVar = ContextVar("ghnt_audit_request", default=None)


def client_address(request) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    try:
        return get_client_ip_address(request)
    except (AttributeError, ValueError):
        return request.META.get("REMOTE_ADDR")


def audit(event: str, *, user=None, request=None, username: str | None = None, **details) -> None:
    """Log `event` with the acting user, their address and the request path, after the current commit."""
    if request is None:
        request = _current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    entry = {
        "user_id": getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None,
        "username": username if username is not None else getattr(user, "username", None) or None,
        "ip": client_address(request),
        "method": getattr(request, "method", None),
        "path": getattr(request, "path", None),
        **details,
    }
    transaction.on_commit(lambda: logger.info(event, extra={"audit": entry}))


def _on_login(sender, request, user, **kwargs):
    audit("login", user=user, request=request)


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit("logout", user=user, request=request)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # The password never reaches the log; Django has already masked it in `credentials`.
    audit("login_failed", request=request, username=str(credentials.get("username", ""))[:150])


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    audit("lockout", request=request, username=str(username or "")[:150], locked_ip=ip_address)


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(_on_login, dispatch_uid="ghnt_audit_login")
    user_logged_out.connect(_on_logout, dispatch_uid="ghnt_audit_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="ghnt_audit_login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="ghnt_audit_lockout")


class AuditMiddleware:
    """Logs every refusal (403) and every download of an export (an attachment), whatever view made it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        if response.status_code == 403:
            audit("permission_denied", request=request)
        elif response.status_code == 200 and "attachment" in response.get("Content-Disposition", ""):
            audit("export", request=request, query=request.META.get("QUERY_STRING", "")[:500],
                  content_type=response.get("Content-Type"))
        return response
