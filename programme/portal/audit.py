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


def _changed_fields(change_message: str) -> list:
    """The names in an admin change message (Django stores which fields and inlines changed, never values)."""
    import json

    try:
        parts = json.loads(change_message or "[]")
    except ValueError:
        return []
    found = []
    for part in parts if isinstance(parts, list) else []:
        for action, detail in part.items():
            found.append({"action": action, "fields": detail.get("fields", []), "object": detail.get("name", "")})
    return found


def _on_admin_log_entry(sender, instance, created, **kwargs):
    """Every add, change and delete made in the admin (users, memberships, superuser status, second-factor
    devices, lockouts, reference data): Django writes a LogEntry for each, with the changed field names."""
    if not created:
        return
    action = {1: "admin_added", 2: "admin_changed", 3: "admin_deleted"}.get(instance.action_flag, "admin_action")
    model = f"{instance.content_type.app_label}.{instance.content_type.model}" if instance.content_type_id else ""
    changes = _changed_fields(instance.change_message)
    details = {"model": model, "object_id": instance.object_id, "changes": changes}
    if model == "auth.user" and any("is_superuser" in c["fields"] for c in changes):
        details["superuser_status_changed"] = True
    audit(action, user=instance.user, **details)


# Deleted in bulk (the admin's "delete selected" writes its log entries with bulk_create, which sends no
# signal), or outside the admin: the records whose removal changes who may log in and how.
_SECURITY_MODELS = ("auth.User", "programme.Membership", "otp_totp.TOTPDevice", "otp_static.StaticDevice",
                    "axes.AccessAttempt")


def _on_security_record_deleted(sender, instance, **kwargs):
    audit("security_record_deleted", model=sender._meta.label_lower, object_id=instance.pk)


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.apps import apps
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_on_admin_log_entry, sender=LogEntry, dispatch_uid="ghnt_audit_admin")
    for label in _SECURITY_MODELS:
        post_delete.connect(_on_security_record_deleted, sender=apps.get_model(label),
                            dispatch_uid=f"ghnt_audit_delete_{label}")

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
