"""Mail: the steering group hears of a submission, the project leader of a return or approval; daily reminders."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from programme.models import Organisation, Role
from reporting.models import ReminderSent
from reporting.reports import services

from ...conftest import make_user
from ..factories import make_measure, make_update, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(users):
    for user in users.values():
        user.email = f"{user.username}@example.nl"
        user.save()
    return users


def test_submit_mails_the_steering_group_in_dutch(emails, draft, mailed):
    with mailed():
        services.report_submit(report=draft, acting_user=emails["project_leader"])
    assert [m.to for m in mail.outbox] == [["sg@example.nl"]]
    message = mail.outbox[0]
    assert message.subject == "Voortgangsrapportage K1 2026 van Zuidoost-Brabant ingediend ter beoordeling"
    assert "Wilt u deze beoordelen" in message.body and f"/rapportages/{draft.pk}/" in message.body


def test_steering_group_of_a_larger_region_is_mailed_too(emails, draft, mailed):
    vt_board = make_user("vt-bestuur", Organisation.objects.get(name="Veilig Thuis Oost-Brabant"), Role.STEERING_GROUP,
                         email="bestuur@vt.example")
    with mailed():
        services.report_submit(report=draft, acting_user=emails["project_leader"])
    assert sorted(m.to[0] for m in mail.outbox) == ["bestuur@vt.example", "sg@example.nl"]
    assert vt_board.pk


def test_return_and_approve_mail_the_project_leader_even_for_an_english_user(emails, draft, mailed):
    from django.utils import translation

    with mailed():
        report = services.report_submit(report=draft, acting_user=emails["project_leader"])
    mail.outbox.clear()
    with translation.override("en"), mailed():
        services.report_return(report=report, acting_user=emails["steering_group"], comment="Graag cijfers Helmond")
    assert [m.to for m in mail.outbox] == [["pl@example.nl"]]
    assert mail.outbox[0].subject == "Voortgangsrapportage K1 2026 teruggestuurd door de stuurgroep"
    assert "Graag cijfers Helmond" in mail.outbox[0].body and "opnieuw indienen" in mail.outbox[0].body
    mail.outbox.clear()
    with mailed():
        services.report_submit(report=report, acting_user=emails["project_leader"])
    mail.outbox.clear()
    with mailed():
        services.report_approve(report=report, acting_user=emails["steering_group"])
    assert [m.to for m in mail.outbox] == [["pl@example.nl"]]
    assert "goedgekeurd" in mail.outbox[0].subject and "landelijk programmateam" in mail.outbox[0].body


def test_refused_step_mails_nobody(emails, draft, mailed):
    with mailed(), pytest.raises(ValidationError):
        services.report_approve(report=draft, acting_user=emails["steering_group"])
    assert mail.outbox == []


def _run(date: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", date, stdout=out)
    return out.getvalue()


def test_reminders_before_the_deadline_once_only(emails, programme, periods, settings):
    settings.REMINDER_DAYS_BEFORE = 14
    q1 = period(2026, 1)  # ends 31 March, deadline 30 April
    late = make_measure(programme, title="Campagne zonder update", owner="Helmond")
    done = make_measure(programme, title="Training met update", owner="Eindhoven")
    make_measure(programme, title="Afgerond project", owner="Helmond", status="completed")
    make_update(done, q1, emails["eindhoven"])
    assert q1.deadline == datetime.date(2026, 4, 30)

    assert "0 reminder(s) sent" in _run("2026-04-15")  # 15 days before: not yet
    output = _run("2026-04-16")
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Veilig Thuis supplies the two Veilig Thuis indicators and has delivered nothing for Q1 yet.
    assert recipients == ["helmond@example.nl", "pl@example.nl", "vt@example.nl"], output
    report_mail = next(m for m in mail.outbox if m.to == ["pl@example.nl"])
    assert report_mail.subject == "Herinnering: voortgangsrapportage K1 2026 uiterlijk 30 april 2026"
    assert "nog niet gestart" in report_mail.body
    update_mail = next(m for m in mail.outbox if m.to == ["helmond@example.nl"])
    assert "Campagne zonder update" in update_mail.body and "Afgerond project" not in update_mail.body
    assert "Training met update" not in update_mail.body
    assert update_mail.subject.startswith("Herinnering: voortgangsupdates over K1 2026")

    figures_mail = next(m for m in mail.outbox if m.to == ["vt@example.nl"])
    assert figures_mail.subject == "Herinnering: cijfers over K1 2026 uiterlijk 30 april 2026"
    assert "Adviesvragen Veilig Thuis: 21 gemeenten" in figures_mail.body

    assert "0 reminder(s) sent, 3 already sent before" in _run("2026-04-16")
    _run("2026-04-20")
    assert len(mail.outbox) == 3 and ReminderSent.objects.count() == 3
    assert late.pk


def test_no_report_reminder_once_submitted(emails, programme, draft, mailed):
    with mailed():
        services.report_submit(report=draft, acting_user=emails["project_leader"])
    mail.outbox.clear()
    _run("2026-04-20")
    # Only Veilig Thuis's figures reminder goes out; nothing to the project leader about the report.
    assert [m.to for m in mail.outbox] == [["vt@example.nl"]]


def test_users_without_email_or_inactive_are_skipped(users, programme, periods):
    users["project_leader"].email = "pl@example.nl"
    users["project_leader"].is_active = False
    users["project_leader"].save()
    _run("2026-04-20")
    assert mail.outbox == [] and ReminderSent.objects.count() == 0


def test_figures_reminder_names_only_what_is_missing(emails, programme, periods, settings):
    from programme.models import Indicator
    from reporting.models import Figure

    q1 = period(2026, 1)
    municipalities = list(Organisation.objects.filter(kind="municipality", region__code="zuidoost-brabant"))
    advice = Indicator.objects.get(code="adviesvragen-vt")
    reports = Indicator.objects.get(code="meldingen-vt")
    Figure.objects.bulk_create([Figure(indicator=advice, organisation=m, period=q1, source="veilig_thuis", value=10)
                                for m in municipalities])
    Figure.objects.bulk_create([Figure(indicator=reports, organisation=m, period=q1, source="veilig_thuis", value=8)
                                for m in municipalities if m.name != "Asten"])
    _run("2026-04-20")
    figures_mail = next(m for m in mail.outbox if m.to == ["vt@example.nl"])
    assert "Meldingen Veilig Thuis: 1 gemeente (Asten)" in figures_mail.body
    assert "Adviesvragen" not in figures_mail.body
    Figure.objects.create(indicator=reports, organisation=municipalities[0].__class__.objects.get(name="Asten"),
                          period=q1, source="veilig_thuis", value=2)
    mail.outbox.clear()
    ReminderSent.objects.all().delete()
    _run("2026-04-21")
    assert not [m for m in mail.outbox if m.to == ["vt@example.nl"]]
