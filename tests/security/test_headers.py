"""Security headers on every response, no inline script or style in any template, and a clean check --deploy."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/inloggen/", "/static/css/portal.css", "/gezondheid/"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def _templates():
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_no_template_has_an_inline_script_style_or_event_handler():
    offences = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern, what in [
            (r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", "inline script"),
            (r"<style[\s>]", "style element"),
            (r"\sstyle=\"", "style attribute"),
            (r"\son[a-z]+=\"", "event handler attribute"),
            (r"javascript:", "javascript: URL"),
        ]:
            if re.search(pattern, text, flags=re.IGNORECASE):
                offences.append(f"{path.relative_to(ROOT)}: {what}")
    assert _templates() and not offences, offences


def test_plotly_stylesheet_belongs_to_the_served_plotly_js():
    """static/css/plotly.css stands in for plotly's inline styles; regenerate it when plotly is upgraded."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from plotly_css import maplibre_style_id, plotly_js_version
    finally:
        sys.path.pop(0)
    css = (ROOT / "static/css/plotly.css").read_text(encoding="utf-8")
    maplibre = (ROOT / "static/css/plotly-maplibre.css").read_text(encoding="utf-8")
    for text in (css, maplibre):
        assert f"plotly.js v{plotly_js_version()}:" in text.splitlines()[0], "run scripts/plotly_css.py"
    assert ".js-plotly-plot .plotly .modebar" in css and ".maplibregl-map" in maplibre
    assert f'id="{maplibre_style_id()}"' in (ROOT / "templates/base.html").read_text(encoding="utf-8")


def test_check_deploy_with_production_settings_prints_no_warning():
    env = {key: value for key, value in os.environ.items()
           if key not in {"SESSION_COOKIE_SECURE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "ghnt_portal.settings.production",
        "SECRET_KEY": "a-production-like-secret-key-" + "x7Q!" * 10,
        "ALLOWED_HOSTS": "ghnt.gemeente.example",
    })
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNINGS" not in result.stderr


def test_production_turns_on_the_second_factor_and_secure_cookies():
    env = {key: value for key, value in os.environ.items() if key not in {"SESSION_COOKIE_SECURE", "GHNT_REQUIRE_2FA"}}
    env.update({"DJANGO_SETTINGS_MODULE": "ghnt_portal.settings.production", "SECRET_KEY": "k3y-" * 16,
                "ALLOWED_HOSTS": "ghnt.gemeente.example", "GHNT_REQUIRE_2FA": "false"})
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.GHNT_REQUIRE_2FA, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.SESSION_COOKIE_NAME)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["True", "True", "True", "31536000", "__Host-sessionid"], result.stderr
