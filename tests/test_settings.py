"""The production settings refuse to start with a development key or without allowed hosts."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _start(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update({"DJANGO_SETTINGS_MODULE": "ghnt_portal.settings.production", **env_extra})
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def test_refuses_without_secret_key():
    result = _start({"ALLOWED_HOSTS": "portal.example.nl"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_refuses_development_secret_key():
    from ghnt_portal.settings.base import INSECURE_DEFAULT_SECRET_KEY

    result = _start({"SECRET_KEY": INSECURE_DEFAULT_SECRET_KEY, "ALLOWED_HOSTS": "portal.example.nl"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_refuses_without_allowed_hosts():
    result = _start({"SECRET_KEY": "x" * 64})
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_refuses_a_wildcard_in_allowed_hosts():
    for hosts in ("*", "portal.example.nl,*", " * "):
        result = _start({"SECRET_KEY": "k3y-" * 16, "ALLOWED_HOSTS": hosts})
        assert result.returncode != 0 and "wildcard" in result.stderr, hosts


def test_starts_when_configured():
    result = _start({"SECRET_KEY": "k3y-" * 16, "ALLOWED_HOSTS": "portal.example.nl"})
    assert result.returncode == 0, result.stderr


def test_database_url_selects_postgresql(monkeypatch):
    import dj_database_url

    config = dj_database_url.parse("postgres://u@127.0.0.1:5432/ghnt")
    assert config["ENGINE"] == "django.db.backends.postgresql"


def test_the_demo_answers_a_missing_page_with_the_dutch_404():
    """The demo showed Django's English technical 404 (DEBUG on), unstyled because the CSP blocks its inline
    styles: scripts/demo.sh runs the development settings with DEBUG off."""
    demo = (ROOT / "scripts" / "demo.sh").read_text()
    assert "export DEBUG=false" in demo
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update({"DJANGO_SETTINGS_MODULE": "ghnt_portal.settings.dev", "DEBUG": "false"})
    code = ("import django; django.setup()\n"
            "from django.test import Client\n"
            "from django.test.utils import setup_test_environment; setup_test_environment()\n"
            "r = Client().get('/bestaat-niet/', HTTP_ACCEPT_LANGUAGE='nl')\n"
            "print(r.status_code); print(r.content.decode())\n"
            "r = Client().get('/static/css/portal.css')\n"
            "print('static', r.status_code)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.startswith("404") and "Pagina niet gevonden" in result.stdout, result.stderr[-2000:]
    assert "Technical" not in result.stdout and "static 200" in result.stdout
