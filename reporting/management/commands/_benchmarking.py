"""Shared by the benchmark commands: a run under production settings, logging in, and checked requests.

The name starts with an underscore, so Django does not offer it as a command.
"""

import os
import secrets
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

PRODUCTION_SETTINGS = "ghnt_portal.settings.production"
HOST = "127.0.0.1"


def under_production_settings() -> bool:
    return settings.SETTINGS_MODULE == PRODUCTION_SETTINGS


def production_environment(static_root: str) -> dict:
    """The environment production.py needs, for a run on this machine only.

    A random secret key (unless a real one is set), 127.0.0.1 as the only host, static files collected into a
    directory of the run's own (the manifest storage renders no page without them), and persistent database
    connections as README "Production" deploys them (DB_CONN_MAX_AGE=60).
    """
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = PRODUCTION_SETTINGS
    key = env.get("SECRET_KEY", "")
    if len(key) < 50 or key.startswith("django-insecure"):
        env["SECRET_KEY"] = secrets.token_urlsafe(64)
    env.setdefault("ALLOWED_HOSTS", HOST)
    env.setdefault("DB_CONN_MAX_AGE", "60")
    env["STATIC_ROOT"] = static_root
    env.pop("DEBUG", None)
    return env


def rerun_under_production(command: str, argv: list[str], write) -> None:
    """Run `manage.py <command> <argv>` again in a child process under production settings; its output is ours."""
    manage = str(settings.BASE_DIR / "manage.py")
    with tempfile.TemporaryDirectory(prefix="ghnt-benchmark-static-") as static_root:
        env = production_environment(static_root)
        write(f"Under {PRODUCTION_SETTINGS} (DEBUG off, HTTPS only, secure cookies, second factor); "
              "collecting static files first ...")
        for args in (["collectstatic", "--noinput", "-v0"], [command, *argv]):
            result = subprocess.run([sys.executable, manage, *args], env=env, check=False)
            if result.returncode != 0:
                raise CommandError(f"manage.py {' '.join(args)} under production settings failed "
                                   f"(exit status {result.returncode}).")


class CheckedClient:
    """Django's test client over HTTPS to 127.0.0.1, which fails the benchmark on any unexpected response.

    Production settings redirect plain HTTP and send cookies over HTTPS only, so every request is a secure one.
    Every response is checked and counted; a benchmark never times an error page.
    """

    def __init__(self):
        self.client = Client(HTTP_HOST=HOST)
        self.checked = 0

    def request(self, method: str, url: str, *, expect: int = 200, redirect_to: str | None = None, **kwargs):
        """The response and its time in milliseconds; a CommandError unless the status (and target) is expected."""
        started = time.perf_counter()
        response = getattr(self.client, method)(url, secure=True, **kwargs)
        elapsed = (time.perf_counter() - started) * 1000
        location = response.get("Location")
        if response.status_code != expect or (redirect_to is not None and location != redirect_to):
            where = f" to {location}" if location else ""
            wanted = f"{expect}" + (f" to {redirect_to}" if redirect_to else "")
            raise CommandError(f"{method.upper()} {url} answered {response.status_code}{where}, expected {wanted}; "
                               "the benchmark stops rather than time an error.")
        self.checked += 1
        return response, elapsed

    def get(self, url: str, **kwargs):
        return self.request("get", url, **kwargs)

    def post(self, url: str, data=None, **kwargs):
        return self.request("post", url, data=data, **kwargs)


def log_in(client: CheckedClient, user, *, second_factor: str | None = None, login_page: bool = True) -> None:
    """Log `user` in through the login page (with a fresh random password) and, given a code, the second-factor page.

    The real pages, so that the session, axes and the second factor are exactly as after a person's login. Without
    `login_page` the password step is skipped (force_login): checking an Argon2 hash takes about 100 MB by design,
    which would hide an import's own memory peak under the baseline.
    """
    if login_page:
        password = secrets.token_urlsafe(24)
        user.set_password(password)
        user.save(update_fields=["password"])
        client.post(reverse("login"), {"username": user.get_username(), "password": password}, expect=302)
    else:
        client.client.force_login(user)
    if second_factor is not None:
        client.post(reverse("two_factor_verify"), {"token": second_factor}, expect=302)
