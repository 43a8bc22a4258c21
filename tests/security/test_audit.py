"""The audit trail: logins, logouts and refusals as JSON lines."""

import json
import logging

import pytest
from django.test import Client

from ghnt_portal.logformat import JsonLineFormatter
from tests.permissions import client_for

pytestmark = pytest.mark.django_db


def test_a_refusal_is_logged_with_who_and_where(users, audit_log):
    assert client_for(users["no_role"]).get("/programma/").status_code == 403
    entry, = audit_log.events("permission_denied")
    assert entry["username"] == "norole" and entry["path"] == "/programma/" and entry["method"] == "GET"


def test_logins_and_logouts_are_logged(users, audit_log):
    client = Client()
    client.post("/inloggen/", {"username": "helmond", "password": "wrong"})
    client.post("/inloggen/", {"username": "helmond", "password": "test-wachtwoord-123"})
    client.post("/uitloggen/")
    assert [e["event"] for e in audit_log.entries] == ["login_failed", "login", "logout"]


def test_an_audit_line_is_one_json_object():
    record = logging.LogRecord("ghnt.audit", logging.INFO, __file__, 1, "export", None, None)
    record.audit = {"username": "helmond", "path": "/maatregelen/export/csv/", "note": 'quote " and\nnewline'}
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["event"] == "export" and entry["username"] == "helmond" and entry["time"].endswith("+00:00")


def test_admin_changes_to_users_memberships_devices_and_lockouts_are_audited(users, audit_log):
    from axes.models import AccessAttempt
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from programme.models import Membership, Organisation, Role

    client = client_for(users["admin"])
    helmond = Organisation.objects.get(name="Helmond")
    assert client.post(reverse("admin:programme_membership_add"), {
        "user": users["no_role"].pk, "organisation": helmond.pk, "role": Role.POLICY_ADVISER}).status_code == 302
    added, = audit_log.events("admin_added")
    assert added["model"] == "programme.membership" and added["username"] == "admin"
    # What the user form's save logs when the superuser box is ticked (the change message names the field).
    LogEntry.objects.log_actions(users["admin"].pk, [users["helmond"]], CHANGE,
                                 [{"changed": {"fields": ["Superuserstatus", "is_superuser"]}}], single_object=True)
    changed, = audit_log.events("admin_changed")
    assert changed["model"] == "auth.user" and changed["superuser_status_changed"]
    device = TOTPDevice.objects.create(user=users["project_leader"], name="app", confirmed=True)
    attempt = AccessAttempt.objects.create(username="pl", ip_address="10.0.0.1", failures_since_start=5,
                                           get_data="", post_data="", http_accept="", path_info="/inloggen/")
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(reverse("admin:axes_accessattempt_changelist"),
                           {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"})
    assert response.status_code == 302
    deleted = {e["model"] for e in audit_log.events("security_record_deleted")}
    assert deleted == {"otp_totp.totpdevice", "axes.accessattempt"}
    assert ContentType.objects.get_for_model(Membership)  # the log refers to models by label, not by secrets
    assert "bin_key" not in json.dumps(audit_log.entries) and device.key not in json.dumps(audit_log.entries)
