"""Daily reminders before reporting deadlines; safe to run as often as the scheduler likes."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from programme import calendar
from reporting.notifications.reminders import days_before, send_reminders


class Command(BaseCommand):
    help = (
        "Remind project leaders of progress reports and owners of measures without a progress update, "
        "REMINDER_DAYS_BEFORE days before a period's deadline. Nobody gets the same reminder twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today is this date (YYYY-MM-DD); for testing.")
        parser.add_argument("--days", type=int, help="Days before the deadline (default: REMINDER_DAYS_BEFORE).")

    def handle(self, *args, **options):
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must look like 2026-03-17") from exc
        else:
            today = calendar.today()
        days = options["days"] if options["days"] is not None else days_before()
        result = send_reminders(today=today, days=days)
        for period_code, email, kind in result.sent:
            self.stdout.write(f"{period_code} {kind}: {email}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(result.sent)} reminder(s) sent, {result.skipped} already sent before.")
        )
