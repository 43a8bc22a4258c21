"""axe-core over every page of every role, the administrator's admin pages included: zero violations of any impact.

The sweep follows the links of each demo user from the home page, and checks one page of each URL pattern
(every measure's detail page has the same template; checking all of them would only repeat the same findings).
"""

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

from .conftest import login

pytestmark = pytest.mark.browser

USERS = ["projectleider", "helmond", "eindhoven", "veiligthuis", "stuurgroep", "landelijk", "beheerder"]
SKIP_PATHS = ("/uitloggen", "/beheer/logout", "/static/", "/media/", "/i18n/", "/beheer/jsi18n", "/api/",
              "/tweestapsverificatie/")
SKIP_PARTS = ("export", "/csv", ".csv", ".xlsx", "/verwijderen", "/delete/", "/download", "/sjabloon")
MAX_PATTERNS = 120


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def _candidate(href: str) -> str | None:
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIP_PATHS) or any(p in path for p in SKIP_PARTS):
        return None
    return path


def _violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]


@pytest.mark.parametrize("username", USERS)
def test_every_page_of_every_role_has_no_axe_violation(page, demo_site, username):
    login(page, demo_site, username)
    base = demo_site.url
    queue, seen_paths, seen_patterns, found = deque(["/"]), {"/"}, set(), {}
    if username == "beheerder":
        queue.append("/beheer/")
        seen_paths.add("/beheer/")
    while queue and len(seen_patterns) < MAX_PATTERNS:
        path = queue.popleft()
        pattern = _pattern(path)
        if pattern is None or pattern in seen_patterns:
            continue
        response = page.goto(base + path)
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        seen_patterns.add(pattern)
        page.wait_for_load_state("load")
        violations = _violations(page)
        if violations:
            found[path] = violations
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = _candidate(href)
            if target and target not in seen_paths:
                seen_paths.add(target)
                queue.append(target)
    assert len(seen_patterns) > 5, seen_patterns
    assert not found, f"{username}: axe violations on {len(found)} of {len(seen_patterns)} pages: {found}"


def test_the_pages_before_login_have_no_axe_violation(page, demo_site):
    """The portal's login and the admin's own login page (which had no level-one heading)."""
    found = {}
    for path in ("/inloggen/", "/beheer/login/", "/bestaat-niet/"):
        page.goto(demo_site.url + path)
        violations = _violations(page)
        if violations:
            found[path] = violations
    assert not found, found
