"""Every text a user writes stays text: on every page of every role, in attributes, element content and chart data.

The demo is loaded, then every user-written name and title gets a payload that would close an attribute (`"` and
`'`), add an event handler (`onfocus=`) and open an element (`<xss-el>`). A crawler follows every link of every
demo user, parses each page and fails on an injected attribute or element, or on a tag in the JSON that plotly
draws (plotly renders a subset of HTML, links included, in names, labels and hovers).
"""

import io
import json
import os
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import Client

PAYLOAD = "\"' onfocus=alert(1) <xss-el>"
APPS = ("programme", "measures", "reporting")
# Codes and keys that code looks up, not names people read.
NOT_USER_TEXT = {"code", "number", "password", "email", "username",
                 "cbs_code", "slug", "key", "unit", "token", "number_format", "content_type", "digest",
                 "sha256", "filename", "stored_name", "original_name", "file", "mapping", "column"}
SKIP_PATHS = ("/uitloggen", "/beheer/logout", "/static/", "/media/", "/i18n/", "/taal")
SKIP_SUFFIXES = (".csv", ".xlsx", ".pdf", ".json", ".svg", ".png")
MAX_PAGES_PER_USER = 250


def _text_fields(model):
    for field in model._meta.get_fields():
        if not isinstance(field, models.CharField | models.TextField) or field.choices:
            continue
        if field.name in NOT_USER_TEXT or field.name.endswith("_code") or not field.editable:
            continue
        yield field


def poison_every_user_text():
    """Append the payload to every free-text field of every row (kept within max_length)."""
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            fields = list(_text_fields(model))
            if not fields:
                continue
            for row in model.objects.all():
                for field in fields:
                    value = getattr(row, field.name) or ""
                    limit = field.max_length or 10_000
                    setattr(row, field.name, (value[: max(0, limit - len(PAYLOAD))] + PAYLOAD)[:limit])
                model.objects.filter(pk=row.pk).update(**{f.name: getattr(row, f.name) for f in fields})
    for user in get_user_model().objects.all():
        get_user_model().objects.filter(pk=user.pk).update(first_name=user.first_name[:100] + PAYLOAD,
                                                           last_name=user.last_name[:100] + PAYLOAD)


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.injected, self.json_texts = [], [], []
        self._json = None

    def handle_starttag(self, tag, attrs):
        if tag == "xss-el":
            self.injected.append(f"element <{tag}>")
        for name, _value in attrs:
            if name.startswith("on") or name in {"alert(1)", "<xss-el>", "'"} or "xss" in name:
                self.injected.append(f"attribute {name!r} on <{tag}>")
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "script" and attributes.get("type") == "application/json":
            self._json = []

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._json is not None:
            self.json_texts.append("".join(self._json))
            self._json = None


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _follow(href: str) -> str | None:
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PATHS) or parts.path.endswith(SKIP_SUFFIXES) or "export" in parts.path:
        return None
    return parts.path  # query strings (filters, pages) are the same template


def crawl(client) -> tuple[int, list[str]]:
    queue, seen, problems = deque(["/"]), {"/"}, []
    pages = 0
    while queue and pages < MAX_PAGES_PER_USER:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        parser = PageParser()
        parser.feed(response.content.decode())
        problems += [f"{path}: {found}" for found in parser.injected]
        for text in parser.json_texts:
            for string in _strings(json.loads(text)):
                if "<xss-el" in string:
                    problems.append(f"{path}: tag in chart data {string[:80]!r}")
        for href in parser.links:
            target = _follow(href)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return pages, problems


@pytest.mark.django_db
def test_user_text_never_becomes_markup_on_any_page_of_any_role(monkeypatch):
    monkeypatch.setitem(os.environ, "GHNT_ALLOW_DEMO_DATA", "1")
    call_command("load_demo_data", "--quiet-logins", stdout=io.StringIO())
    poison_every_user_text()
    from programme.models import Indicator

    assert Indicator.objects.filter(name__contains="<xss-el>").exists()
    report = {}
    for user in get_user_model().objects.order_by("username"):
        client = Client()
        client.force_login(user)
        pages, problems = crawl(client)
        report[user.username] = pages
        assert not problems, f"{user.username}: {problems[:20]}"
    # The crawl reached the pages it promises: dashboards, lists and details for the regional roles.
    assert report["projectleider"] > 40 and report["beheerder"] > 20, report
