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
