"""A property-based form fuzzer: reads the form a page really shows, fills it mostly validly, sometimes not.

Each example is a `Case`: values for the fields a test names, drawn from strategies that are valid for them
(including hostile text, which is valid text and must be stored and shown inert), and in about one example
in four a single field broken with a value whose exact Dutch refusal message the case carries. `post_case`
fills the rest of the form as the page shows it and posts; `check_case` asserts the outcome a user would see:
a valid case is saved (the page redirects), a broken one is shown again with its Dutch message. The test then
checks the database: the saved values, or nothing changed. `Tally` counts the outcomes, so that a run in which
(almost) nothing was saved fails instead of looking green. Never a server error, and a hostile payload never
comes back unescaped, neither on the re-shown form nor on the page the portal redirects to.
"""

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# Bounded, so the suite stays fast: a few dozen examples per form, no deadline (database round trips vary).
# No shrinking: an example is several page round trips, and shrinking a failure took minutes; the failing
# example is reported as it was drawn, which with a handful of named fields is readable enough.
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.explain],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

HOSTILE = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    '=HYPERLINK("http://evil.example","klik")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-1+1",
    "' OR 1=1 --",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "\u202egnp.exe",
    "a\x00b",
    "x" * 5000,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂 ĳ ß",
]
# What must never appear in a page as it was typed: it would run or be markup.
DANGEROUS_RAW = ["<script>alert('xss')</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>"]

# Hostile text that is valid input for a text field: no NUL (refused), short enough for a title.
VALID_HOSTILE = [h for h in HOSTILE if "\x00" not in h and len(h) <= 200]
# Text a user could type in one line: no control characters (which a browser does not send in an input).
_TYPED = st.characters(blacklist_categories=("Cc", "Cs"))


def valid_text(*, max_size: int = 200, required: bool = True):
    """Valid text for a field: plain words, anything printable, or hostile text; stored stripped."""
    strategy = st.one_of(st.sampled_from(VALID_HOSTILE), st.text(_TYPED, min_size=1, max_size=min(max_size, 60)),
                         st.sampled_from(["Training meldcode", "Voorlichting op scholen", "Ĳsselland ß 🙂"]))
    strategy = strategy.filter(lambda text: len(text) <= max_size)
    return strategy.filter(lambda text: text.strip()) if required else strategy


texts = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200), st.text(alphabet="<>\"'&=;/\\ ", max_size=40))


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or "",
                          "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            self._form["fields"].append({"kind": (attrs.get("type") or "text").lower(), "name": attrs["name"],
                                         "value": attrs.get("value") or "", "checked": "checked" in attrs})
        elif tag == "select" and attrs.get("name"):
            self._select = {"kind": "select", "name": attrs["name"], "multiple": "multiple" in attrs,
                            "options": []}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select.setdefault("selected", []).append(attrs.get("value", ""))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = {"kind": "textarea", "name": attrs["name"], "value": ""}
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def main_form(page: str) -> dict:
    """The page's biggest POST form (not the logout or language forms of the layout)."""
    parser = _Forms()
    parser.feed(page)
    candidates = [f for f in parser.forms if f["method"] == "post" and "language" not in {x["name"] for x in
                                                                                           f["fields"]}]
    assert candidates, "no POST form on the page"
    return max(candidates, key=lambda form: len(form["fields"]))


def _as_shown(field):
    """The value the browser would send for a field the case leaves alone: what the page shows."""
    kind = field["kind"]
    if kind == "checkbox":
        return (field["value"] or "on") if field["checked"] else None
    if kind == "radio":
        return field["value"] if field["checked"] else None
    if kind == "select":
        if field.get("selected"):
            return field["selected"] if field["multiple"] else field["selected"][0]
        if field["multiple"]:
            return []
        return field["options"][0] if field["options"] else ""
    return field["value"]


@dataclass
class Case:
    """One example: the values a test chose, and the field it broke (with the exact Dutch message) if any."""

    values: dict
    broken: str | None = None
    message: str | None = None

    @property
    def valid(self) -> bool:
        return self.broken is None


def draw_case(data, valid: dict, invalid: dict) -> Case:
    """Valid values for every field of `valid`; in about one example in four one field of `invalid` broken.

    `invalid` maps a field name to a list of (strategy, message) pairs; `message` may be a callable that gets the
    drawn value, for messages that quote it.
    """
    values = {name: data.draw(strategy, label=name) for name, strategy in valid.items()}
    # Hypothesis favours small integers and their edges, so "break" is the top quarter of a wider range.
    if not invalid or data.draw(st.integers(0, 99), label="break a field?") < 75:
        return Case(values)
    broken = data.draw(st.sampled_from(sorted(invalid)), label="broken field")
    strategy, message = data.draw(st.sampled_from(invalid[broken]), label="how")
    values[broken] = data.draw(strategy, label=f"invalid {broken}")
    return Case(values, broken, message(values[broken]) if callable(message) else message)


def post_case(client, url: str, case: Case, *, page_url: str | None = None):
    """Fill the form of the page at `page_url` (default `url`) as shown, put the case's values in, post it."""
    page = client.get(page_url or url)
    assert page.status_code == 200, (url, page.status_code)
    form = main_form(page.content.decode())
    names = {f["name"] for f in form["fields"]}
    missing = set(case.values) - names
    assert not missing, f"the form of {url} has no fields {missing}"
    post = {}
    for item in form["fields"]:
        if item["kind"] in {"file", "button", "reset", "image"} or item["name"] in case.values:
            continue
        value = _as_shown(item)
        if value is not None:
            post.setdefault(item["name"], value)
    post.update({name: value for name, value in case.values.items() if value is not None})
    response = client.post(form["action"] or url, post)
    assert response.status_code < 500, (url, post)
    shown = [response.content.decode(errors="replace")]
    if response.status_code == 302:
        follow = client.get(response["Location"])
        assert follow.status_code < 500, response["Location"]
        shown.append(follow.content.decode(errors="replace"))
    for page_html in shown:
        for raw in DANGEROUS_RAW:
            assert raw not in page_html, f"unescaped {raw!r} after posting to {url}"
    return response


def errors_on(response) -> list[str]:
    """The error messages a re-shown form carries (Bootstrap's invalid-feedback and the form's error list)."""
    import re

    page = response.content.decode(errors="replace")
    found = re.findall(r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger)[^"]*"[^>]*>(.*?)</', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for text in found if text.strip()]


def check_case(response, case: Case, *, location: str | None = None):
    """A valid case redirects (to `location`, if given); a broken one is shown again with its Dutch message."""
    if case.valid:
        assert response.status_code == 302, ("refused a valid case", case, errors_on(response))
        if location is not None:
            assert location in response["Location"], (response["Location"], location)
    else:
        assert response.status_code == 200, ("accepted a broken case", case)
        page = html.unescape(response.content.decode(errors="replace"))
        assert case.message in page, (case.message, errors_on(response))


REQUIRED = "Dit veld is verplicht."
NULL_CHARACTERS = "Null-tekens zijn niet toegestaan."
WHOLE_NUMBER = "Voer een geheel getal in."
NUMBER = "Voer een getal in."
DATE = "Voer een geldige datum in."


def too_long(limit: int):
    """A text one character over `limit`, and Django's Dutch message for it."""
    return (st.text(st.sampled_from("abcdeĳ<>"), min_size=limit + 1, max_size=limit + 1),
            lambda value: f"Zorg dat deze waarde niet meer dan {limit} tekens bevat (het zijn er nu {len(value)}).")


BLANK = (st.sampled_from(["", "   "]), REQUIRED)
WITH_NUL = (st.sampled_from(["Hel\x00mond", "a\x00b"]), NULL_CHARACTERS)


def stored_text(value: str) -> str:
    """What Django keeps of typed text: stripped of surrounding white space."""
    return value.strip()


@dataclass
class Tally:
    """Counts valid and broken examples of one fuzz run; a run that saved (almost) nothing must fail."""

    outcomes: list = field(default_factory=list)

    def add(self, case: Case):
        self.outcomes.append(case.valid)

    def assert_mostly_saved(self, share: float = 0.5):
        saved = sum(self.outcomes)
        print(f"saved {saved} of {len(self.outcomes)} examples")
        assert self.outcomes and saved >= share * len(self.outcomes), (saved, len(self.outcomes))
        assert saved < len(self.outcomes), "no broken example: the refusals were never tried"
