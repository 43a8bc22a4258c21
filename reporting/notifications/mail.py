"""Mail about progress reports and reminders: always in Dutch, one message per recipient.

Sent through Django's mail framework (console backend by default, SMTP from the environment). The
report mails are sent after the transaction commits, so a refused step never mails anyone.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from programme.models import Role, region_and_ancestor_ids

MAIL_LANGUAGE = "nl"


def members_with_role(region_id: int, role: str):
    """Active users with a role in an organisation of the region (or of a larger region around it) with e-mail."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=role,
            memberships__organisation__region_id__in=region_and_ancestor_ids(region_id),
        )
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def portal_url(path: str) -> str:
    return f"{getattr(settings, 'PORTAL_URL', '').rstrip('/')}{path}"


def render_mail(template: str, context: dict) -> tuple[str, str]:
    """Subject and body of a mail template pair, rendered in Dutch whatever language the request used."""
    with translation.override(MAIL_LANGUAGE):
        subject = render_to_string(f"reporting/notifications/mail/{template}_subject.txt", context).strip()
        body = render_to_string(f"reporting/notifications/mail/{template}_body.txt", context)
    return " ".join(subject.split()), body


def send_to(users, template: str, context: dict) -> list[str]:
    """One message per user (no one sees the other addresses); returns the addresses mailed."""
    messages = []
    for user in users:
        subject, body = render_mail(template, {**context, "recipient": user})
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if messages:
        get_connection().send_messages(messages)
    return [message.to[0] for message in messages]


def _report_context(report) -> dict:
    return {
        "report": report,
        "region": report.programme.region.name,
        "url": portal_url(reverse("reporting:report_detail", args=[report.pk])),
    }


def report_submitted(report) -> list[str]:
    return send_to(members_with_role(report.programme.region_id, Role.STEERING_GROUP), "report_submitted",
                   _report_context(report))


def report_returned(report, comment: str) -> list[str]:
    return send_to(members_with_role(report.programme.region_id, Role.PROJECT_LEADER), "report_returned",
                   {**_report_context(report), "comment": comment})


def report_approved(report) -> list[str]:
    return send_to(members_with_role(report.programme.region_id, Role.PROJECT_LEADER), "report_approved",
                   _report_context(report))


def period_unlocked(lock) -> list[str]:
    """Tell the steering group that figures it approved can change again, by whom and why."""
    unlocked_by = (lock.unlocked_by.get_full_name() or lock.unlocked_by.username) if lock.unlocked_by else ""
    return send_to(members_with_role(lock.region_id, Role.STEERING_GROUP), "period_unlocked", {
        "lock": lock, "region": lock.region.name, "unlocked_by": unlocked_by,
        "url": portal_url(reverse("reporting:lock_list", args=[lock.region_id])),
    })
