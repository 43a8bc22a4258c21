"""No source maps are served, and no served script or stylesheet points to one.

Source maps publish the unminified sources and only help a developer's browser tools; a sourceMappingURL comment
whose map is missing makes browsers request it (a 404 in every log) and makes ManifestStaticFilesStorage refuse
to run collectstatic. The vendored Bootstrap files had their comments stripped and their maps removed.

The files are those of Django's static file finders, so exactly what collectstatic copies and WhiteNoise serves:
static/, plotly's package data (vendor/plotly) and the static files of every installed app.
"""

import re
from pathlib import Path

from django.apps import apps
from django.contrib.staticfiles import finders

SOURCE_MAP_COMMENT = re.compile(rb"[#@]\s*sourceMappingURL\s*=")


def _served_files() -> list[tuple[str, str, object]]:
    """(URL path under STATIC_URL, path in its storage, storage) of each file, as collectstatic walks them."""
    ignore_patterns = apps.get_app_config("staticfiles").ignore_patterns  # what collectstatic skips by default
    files = []
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns):
            prefix = getattr(storage, "prefix", None)  # ("vendor/plotly", <dir>) in STATICFILES_DIRS
            files.append((f"{prefix}/{path}" if prefix else path, path, storage))
    return files


def test_the_finders_see_the_vendored_files():
    paths = {url_path for url_path, _, _ in _served_files()}
    assert {"vendor/bootstrap/css/bootstrap.min.css", "vendor/plotly/plotly.min.js",
            "vendor/plotly/plotly-portal.min.js"} <= paths


def test_no_source_map_is_served():
    maps = sorted(url_path for url_path, _, _ in _served_files() if url_path.endswith(".map"))
    assert maps == []


def test_no_served_script_or_stylesheet_references_a_source_map():
    referencing = []
    for url_path, path, storage in _served_files():
        if url_path.endswith((".js", ".mjs", ".css")):
            with storage.open(path) as f:
                if SOURCE_MAP_COMMENT.search(f.read()):
                    referencing.append(url_path)
    assert sorted(referencing) == [], "strip the sourceMappingURL comment (see README, Layout)"


def test_the_vendored_plotly_bundle_is_the_version_of_the_installed_plotly_js():
    """The bundle the pages load (built by scripts/plotly-bundle) must match plotly.js of the Python package (same
    chart JSON, same CSS in static/css/plotly.css): upgrade both together."""
    import re
    from pathlib import Path

    import plotly

    def version(path):
        return re.search(r"v(\d+\.\d+\.\d+)", Path(path).read_text(encoding="utf-8")[:300]).group(1)

    installed = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    vendored = Path(__file__).resolve().parent.parent / "static" / "vendor" / "plotly" / "plotly-portal.min.js"
    assert version(vendored) == version(installed)


def test_every_static_file_a_template_names_exists():
    """A template naming a static file that is not served draws nothing (a removed plotly bundle left a page
    without its chart): every `{% static '...' %}` of the templates must be found by the finders."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    named = {
        (path.relative_to(templates), name)
        for path in templates.rglob("*.html")
        for name in re.findall(r"""\{%\s*static\s+['"]([^'"]+)['"]""", path.read_text(encoding="utf-8"))
    }
    assert named, "no template names a static file: the pattern is wrong"
    assert [(str(path), name) for path, name in sorted(named) if finders.find(name) is None] == []
