"""Shared fixtures: the reference data, one user per role, a user of another region, and the CI guard."""

import json
import logging
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ghnt_portal.logformat import JsonLineFormatter
from programme.models import Membership, Organisation, OrganisationKind, Population, Region, Role

PASSWORD = "test-wachtwoord-123"


def make_user(username: str, organisation: Organisation | None = None, role: str | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture
def org(reference_data):
    """Organisations by short name."""

    def get(name: str) -> Organisation:
        return Organisation.objects.get(name=name)

    return get


@pytest.fixture
def other_region(reference_data):
    """A second region with one municipality, to prove that regions do not see each other."""
    region = Region.objects.create(name="Hart van Brabant", code="hart-van-brabant")
    tilburg = Organisation.objects.create(
        name="Tilburg", kind=OrganisationKind.MUNICIPALITY, region=region, cbs_code="GM0855"
    )
    Population.objects.create(organisation=tilburg, year=2023, inhabitants=224000)
    return region


@pytest.fixture
def users(reference_data, other_region):
    """One user per role of Zuidoost-Brabant, plus a user without role and users of another region."""
    orgs = {o.name: o for o in Organisation.objects.all()}
    return {
        "project_leader": make_user("pl", orgs["Eindhoven"], Role.PROJECT_LEADER),
        "helmond": make_user("helmond", orgs["Helmond"], Role.POLICY_ADVISER),
        "eindhoven": make_user("eindhoven", orgs["Eindhoven"], Role.POLICY_ADVISER),
        "veilig_thuis": make_user("vt", orgs["Veilig Thuis Oost-Brabant"], Role.POLICY_ADVISER),
        "steering_group": make_user("sg", orgs["Helmond"], Role.STEERING_GROUP),
        "national": make_user("nat", orgs["Landelijk programmateam"], Role.NATIONAL_TEAM),
        "admin": make_user("admin", is_staff=True, is_superuser=True),
        "no_role": make_user("norole"),
        "other_region": make_user("tilburg", orgs["Tilburg"], Role.POLICY_ADVISER),
        "other_project_leader": make_user("pl-hvb", orgs["Tilburg"], Role.PROJECT_LEADER),
    }


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: browser tests must run, not silently skip."""
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"CI: {skipped} test(s) skipped; in CI every test must run.", red=True)
        session.exitstatus = 1


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []
        self.setFormatter(JsonLineFormatter())

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def audit_log(monkeypatch):
    """Every "ghnt.audit" line written during the test, parsed (each one is checked to be one JSON object).

    The test's transaction never commits, so entries are written at once here; test_audit.py shows that
    a rolled-back action leaves no entry.
    """
    monkeypatch.setattr("programme.portal.audit.transaction.on_commit", lambda callback, **kwargs: callback())
    logger = logging.getLogger("ghnt.audit")
    collector = _Collector()
    logger.addHandler(collector)

    class Log:
        @property
        def entries(self):
            return [json.loads(line) for line in collector.lines]

        def events(self, name):
            return [entry for entry in self.entries if entry["event"] == name]

    try:
        yield Log()
    finally:
        logger.removeHandler(collector)


@pytest.fixture(autouse=True)
def _fresh_disclosure_threshold():
    """The national threshold is cached per process; a test that changes it must not leak into the next."""
    from django.core.cache import cache

    from programme.services.disclosure import THRESHOLD_CACHE_KEY

    cache.delete(THRESHOLD_CACHE_KEY)
    yield
    cache.delete(THRESHOLD_CACHE_KEY)
