"""The Dutch translation is complete: every message in the code and templates has a Dutch text.

The messages are extracted afresh from a copy of the source (so a string added without running
makemessages fails here too), and the committed .mo must match the committed .po.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["programme", "measures", "reporting", "ghnt_portal", "templates", "locale", "manage.py"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (Debian package gettext) is needed to check the translations: apt-get install gettext")
    copy = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-obsolete", "--no-location", "-v0"],
        cwd=copy, check=True, capture_output=True,
    )
    return polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po"))


def test_every_message_has_a_dutch_translation(extracted):
    missing = [entry.msgid for entry in extracted if not entry.translated() and not entry.obsolete]
    assert not missing, f"{len(missing)} untranslated messages, e.g. {missing[:10]}"


def test_no_fuzzy_messages():
    po = polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    assert not fuzzy, f"fuzzy messages: {fuzzy[:10]}"


def test_committed_mo_matches_po():
    po = polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))
    mo = polib.mofile(str(ROOT / "locale/nl/LC_MESSAGES/django.mo"))
    po_entries = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                  for e in po.translated_entries()}
    mo_entries = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    mo_entries.pop((None, ""), None)
    assert po_entries == mo_entries, "run: python manage.py compilemessages"
