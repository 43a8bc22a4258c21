"""A property-based form fuzzer: reads the form a page really shows, fills it with random and hostile input.

`fuzz_form(client, url, data)` (inside a hypothesis test that gives `data = st.data()`) fetches the page,
finds its main POST form, keeps hidden fields (CSRF-free test client, versions), picks real options for
selects most of the time and throws random or hostile text at every text field, then posts it. It asserts
what a user and a security officer care about: never a server error, and a hostile payload never comes back
unescaped, neither on the re-shown form nor on the page the portal redirects to.
"""

from html.parser import HTMLParser

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded, so the suite stays fast: a few dozen examples per form, no deadline (database round trips vary).
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
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
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = {"kind": "textarea", "name": attrs["name"]}
            self._form["fields"].append(self._textarea)

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


def _plain(field):
    """A value that is valid for most fields: the baseline that one hostile field is then put into."""
    kind = field["kind"]
    if kind in {"hidden", "submit"}:
        return field["value"]
    if kind == "checkbox":
        return None
    if kind == "select":
        options = [o for o in field["options"] if o]
        if not options:
            return ""
        return options[:1] if field["multiple"] else options[0]
    if kind == "number":
        return "1"
    if kind == "date":
        return "2025-01-01"
    if kind == "email":
        return "tekst@example.nl"
    if kind == "url":
        return "https://example.nl/"
    return field.get("value") or "Tekst"


def _value(field, data):
    kind = field["kind"]
    if kind in {"hidden", "submit"}:
        return field["value"]
    if kind == "checkbox":
        return field["value"] or "on" if data.draw(st.booleans()) else None
    if kind == "select":
        options = field["options"]
        if field["multiple"]:
            return data.draw(st.lists(st.sampled_from(options), max_size=3, unique=True)) if options else []
        if options and data.draw(st.integers(0, 9)):
            return data.draw(st.sampled_from(options))
        return data.draw(texts)
    if kind == "number":
        return data.draw(st.one_of(st.integers(-10**12, 10**12).map(str), st.decimals(allow_nan=True).map(str),
                                   texts))
    if kind == "date":
        return data.draw(st.one_of(st.dates().map(str), texts))
    return data.draw(texts)


def fuzz_form(client, url: str, data, *, page_url: str | None = None):
    """Post random and hostile input to the form of `url`; returns the response (already checked)."""
    page = client.get(page_url or url)
    assert page.status_code == 200, (url, page.status_code)
    form = main_form(page.content.decode())
    fields = [f for f in form["fields"] if f["kind"] not in {"file", "button", "reset", "image"}]
    # Half of the examples are random everywhere; the other half are a valid form with hostile text in a
    # few text fields, so that hostile input is really stored and shown again.
    targeted = data.draw(st.booleans())
    text_fields = [f["name"] for f in fields if f["kind"] in {"text", "textarea", "search"}]
    hostile_in = set(data.draw(st.lists(st.sampled_from(text_fields), max_size=3))) if text_fields else set()
    post = {}
    for field in fields:
        if targeted and field["name"] not in hostile_in:
            value = _plain(field)
        elif targeted:
            value = data.draw(st.sampled_from(HOSTILE[:-3]))
        else:
            value = _value(field, data)
        if value is not None:
            post.setdefault(field["name"], value)
    response = client.post(form["action"] or url, post)
    assert response.status_code < 500, (url, post)
    shown = [response.content.decode(errors="replace")]
    if response.status_code == 302:
        follow = client.get(response["Location"])
        assert follow.status_code < 500, response["Location"]
        shown.append(follow.content.decode(errors="replace"))
    for html in shown:
        for raw in DANGEROUS_RAW:
            assert raw not in html, f"unescaped {raw!r} after posting to {url}"
    return response
