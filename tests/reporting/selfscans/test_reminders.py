"""send_reminders reminds the municipalities whose scan of the year is missing, near the deadline, once."""

import datetime

import pytest
from django.core import mail

from programme.models import Membership
from reporting.models import ReminderSent
from reporting.notifications.reminders import send_reminders

from .conftest import submitted_scan

pytestmark = pytest.mark.django_db


def test_missing_scans_are_reminded_before_the_deadline_once(users, periods, framework, eindhoven):
    for user in (users["helmond"], users["eindhoven"]):
        user.email = f"{user.username}@example.org"
        user.save()
    submitted_scan(framework, eindhoven, users["eindhoven"], [1, 2, 3, 4])
    framework.deadline = datetime.date(2025, 6, 1)
    framework.save()
    assert not [m for m in send_reminders(today=datetime.date(2025, 4, 1)).sent if m[2] == "self_scan_due"]
    mail.outbox.clear()
    result = send_reminders(today=datetime.date(2025, 5, 25))
    scan_mails = [m for m in result.sent if m[2] == "self_scan_due"]
    assert scan_mails == [("2025", "helmond@example.org", "self_scan_due")] or [
        m[1] for m in scan_mails] == ["helmond@example.org"]
    message = next(m for m in mail.outbox if "zelfscan" in m.subject.lower() or "self-scan" in m.subject.lower())
    assert "Helmond" in message.body and "Eindhoven" not in message.body
    assert Membership.objects.filter(user=users["helmond"]).exists()
    again = send_reminders(today=datetime.date(2025, 5, 26))
    assert not [m for m in again.sent if m[2] == "self_scan_due"]
    assert ReminderSent.objects.filter(kind="self_scan_due").count() == 1


@pytest.fixture
def periods(reference_data):
    from programme.services.periods import reporting_periods_generate

    reporting_periods_generate(first_year=2025, last_year=2025)
    reporting_periods_generate(first_year=2025, last_year=2025, kind="year")
