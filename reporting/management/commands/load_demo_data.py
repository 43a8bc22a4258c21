"""Demo users and demo content of every app, for trying the portal; refuses to run in production.

It lives in reporting, the app that may know all three, so the demo is plain calls in order here instead of
loaders that each app registers at start-up.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from measures.demo import load_demo_measures
from programme import calendar
from programme.models import Membership, Organisation, Role
from programme.portal.two_factor import demo_second_factor
from programme.services.periods import reporting_periods_generate
from reporting.demo.breakdowns import load_demo_breakdowns
from reporting.demo.figures import demo_quarters, load_demo_figures
from reporting.demo.reports import load_demo as load_demo_reports
from reporting.demo.selfscans import load_demo as load_demo_selfscans

DEMO_PASSWORD = "demo-GHNT-2026"

# They log in with a second factor (TOTP); the demo prints their keys and backup codes.
DEMO_SECOND_FACTOR_USERS = ["projectleider", "beheerder"]

# username, first name, last name, organisation, role (None: administrator without a regional role)
DEMO_USERS = [
    ("projectleider", "Priya", "Jansen", "Eindhoven", Role.PROJECT_LEADER),
    ("helmond", "Henk", "de Vries", "Helmond", Role.POLICY_ADVISER),
    ("eindhoven", "Els", "Bakker", "Eindhoven", Role.POLICY_ADVISER),
    ("veiligthuis", "Vera", "Smit", "Veilig Thuis Oost-Brabant", Role.POLICY_ADVISER),
    ("stuurgroep", "Sander", "Mulder", "Helmond", Role.STEERING_GROUP),
    ("landelijk", "Noor", "Visser", "Landelijk programmateam", Role.NATIONAL_TEAM),
    ("beheerder", "Bram", "de Beheerder", None, None),
]

ROLE_DESCRIPTIONS = {
    "projectleider": "projectleider Zuidoost-Brabant",
    "helmond": "beleidsadviseur gemeente Helmond",
    "eindhoven": "beleidsadviseur gemeente Eindhoven",
    "veiligthuis": "medewerker Veilig Thuis Oost-Brabant",
    "stuurgroep": "lid stuurgroep (wethouder Helmond)",
    "landelijk": "lid landelijk programmateam",
    "beheerder": "functioneel beheerder",
}


def demo_allowed() -> bool:
    module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if module.endswith("production"):
        return False
    return settings.DEBUG or os.environ.get("GHNT_ALLOW_DEMO_DATA") == "1"


class Command(BaseCommand):
    help = "Load demo users and demo content (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    @transaction.atomic
    def handle(self, *args, **options):
        if not demo_allowed():
            raise CommandError(
                "Demo data is only loaded with DEBUG on or GHNT_ALLOW_DEMO_DATA=1, never with production settings."
            )
        call_command("load_reference_data", stdout=self.stdout)
        User = get_user_model()
        for username, first, last, org_name, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.ghnt.example"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
            if role is None:
                user.is_staff = True
                user.is_superuser = True
            user.save()
            if role is not None:
                organisation = Organisation.objects.get(name=org_name)
                Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        second_factors = {
            username: demo_second_factor(User.objects.get(username=username)) for username in DEMO_SECOND_FACTOR_USERS
        }
        # Periods from the demo's first year to next year, relative to the portal's today.
        today = calendar.today()
        reporting_periods_generate(first_year=demo_quarters(today)[0][0], last_year=today.year + 1)
        for loader in (load_demo_measures, load_demo_figures, load_demo_breakdowns, load_demo_reports,
                       load_demo_selfscans):
            loader(self.stdout)
        if not options["quiet_logins"]:
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
            for username, *_rest in DEMO_USERS:
                self.stdout.write(f"  {username:<14} {ROLE_DESCRIPTIONS[username]}")
            self.stdout.write(self.style.SUCCESS("Two-step verification (add the key to an authenticator app):"))
            for username, (key, codes) in second_factors.items():
                self.stdout.write(f"  {username:<14} TOTP key {key}")
                self.stdout.write(f"  {'':<14} backup codes {' '.join(codes)}")
