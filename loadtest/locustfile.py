"""Load test of the portal: several roles log in and browse lists, reports, figure tables and exports.

Run through scripts/loadtest.sh (README "Load test"). It only ever targets 127.0.0.1 / localhost and stops by
itself after --run-time or MAX_REQUESTS requests, whichever comes first.
"""

import base64
import hashlib
import hmac
import os
import random
import re
import struct
import time
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

ALLOWED_HOSTS = {"127.0.0.1", "localhost", "::1"}
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "demo-GHNT-2026")
MAX_REQUESTS = int(os.environ.get("MAX_REQUESTS", "20000"))

# Pages the regional roles browse (paths; ids are found on the pages themselves). The national team reads
# reports and figures only, never measures or bottlenecks, so it gets NATIONAL_PATHS.
LIST_PATHS = ["/", "/programma/", "/organisaties/", "/maatregelen/", "/maatregelen/?page=2",
              "/maatregelen/?status=running", "/rapportages/", "/cijfers/", "/knelpunten/"]
EXPORT_PATHS = ["/maatregelen/export/csv/", "/maatregelen/export/xlsx/"]
NATIONAL_PATHS = ["/", "/programma/", "/organisaties/", "/rapportages/", "/cijfers/"]
# Dashboards: the user's own region (a redirect to /dashboard/regio/<id>/), its municipality pages found there,
# and the national overview for the national team.
DASHBOARD_PATHS = ["/dashboard/"]
NATIONAL_DASHBOARD_PATHS = ["/dashboard/landelijk/"]

_requests = 0


def totp_now(base32_key: str, step: int = 30, digits: int = 6) -> str:
    """The current TOTP code (RFC 6238), as an authenticator app would show it."""
    key = base64.b32decode(base32_key.upper() + "=" * (-len(base32_key) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


@events.test_start.add_listener
def _refuse_other_hosts(environment, **kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in ALLOWED_HOSTS:
        raise SystemExit(f"The load test only runs against 127.0.0.1 or localhost, not {host!r}.")


@events.request.add_listener
def _stop_after_max_requests(**kwargs):
    global _requests
    _requests += 1
    if _requests >= MAX_REQUESTS and _runner is not None:
        _runner.quit()


_runner = None


@events.init.add_listener
def _keep_runner(environment, **kwargs):
    global _runner
    _runner = environment.runner


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    username = ""
    list_paths = LIST_PATHS
    export_paths = EXPORT_PATHS

    def on_start(self):
        self.client.get("/inloggen/", name="/inloggen/")
        token = self.client.cookies.get("csrftoken") or self.client.cookies.get("__Host-csrftoken")
        with self.client.post("/inloggen/", {"username": self.username, "password": PASSWORD,
                                             "csrfmiddlewaretoken": token},
                              headers={"Referer": self.host + "/inloggen/"}, name="/inloggen/ (post)",
                              catch_response=True) as response:
            if response.url.endswith("/inloggen/") or response.status_code != 200:
                response.failure(f"login of {self.username} failed")
        self.second_factor()
        self.region_links = self._links("/cijfers/", r'href="(/cijfers/regio/\d+/)"')
        self.report_links = self._links("/rapportages/", r'href="(/rapportages/\d+/)"')
        self.measure_links = (self._links("/maatregelen/", r'href="(/maatregelen/\d+/)"')
                              if "/maatregelen/" in self.list_paths else [])

    def second_factor(self):
        pass

    def _links(self, path, pattern):
        page = self.client.get(path, name=path).text
        return sorted(set(re.findall(pattern, page)))[:50]

    def _get(self, path, name=None):
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code} on {path}")

    @task(4)
    def lists(self):
        self._get(random.choice(self.list_paths))

    @task(3)
    def measure_detail(self):
        if self.measure_links:
            self._get(random.choice(self.measure_links), name="/maatregelen/[id]/")

    @task(3)
    def report(self):
        if self.report_links:
            self._get(random.choice(self.report_links), name="/rapportages/[id]/")

    @task(3)
    def figure_table(self):
        if self.region_links:
            self._get(random.choice(self.region_links), name="/cijfers/regio/[id]/")

    @task(1)
    def export(self):
        if self.export_paths:
            self._get(random.choice(self.export_paths))
        if self.region_links:
            self._get(random.choice(self.region_links) + "export.csv", name="/cijfers/regio/[id]/export.csv")

    dashboard_paths = DASHBOARD_PATHS

    @task(3)
    def dashboard(self):
        path = random.choice(self.dashboard_paths)
        with self.client.get(path, name=path, catch_response=True) as response:
            if response.status_code >= 400:
                response.failure(f"{path}: {response.status_code}")
                return
            municipalities = sorted(set(re.findall(r'href="(/dashboard/gemeente/\d+/)"', response.text)))
            downloads = sorted(set(re.findall(r'href="(/dashboard/[^"]+\.csv)"', response.text)))
        if municipalities:
            self._get(random.choice(municipalities), name="/dashboard/gemeente/[id]/")
        if downloads:
            self._get(random.choice(downloads), name="/dashboard/.../[chart].csv")


class PolicyAdviser(PortalUser):
    weight = 3

    def on_start(self):
        self.username = random.choice(["helmond", "eindhoven", "veiligthuis"])
        super().on_start()


class SteeringGroup(PortalUser):
    weight = 2
    username = "stuurgroep"


class NationalTeam(PortalUser):
    weight = 2
    username = "landelijk"
    list_paths = NATIONAL_PATHS
    export_paths = []
    dashboard_paths = NATIONAL_DASHBOARD_PATHS


class ProjectLeader(PortalUser):
    """One project leader, logging in with a TOTP code: a code is accepted once, so more would lock each other out."""

    fixed_count = 1 if os.environ.get("LOADTEST_TOTP_KEY") else 0
    username = "projectleider"

    def second_factor(self):
        page = self.client.get("/tweestapsverificatie/", name="/tweestapsverificatie/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        code = totp_now(os.environ["LOADTEST_TOTP_KEY"])
        self.client.post("/tweestapsverificatie/", {"token": code, "csrfmiddlewaretoken": token},
                         headers={"Referer": self.host + "/tweestapsverificatie/"},
                         name="/tweestapsverificatie/ (post)")
