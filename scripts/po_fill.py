"""Fill the Dutch .po file from a Python dict of translations (developer tool), then compile it.

Usage: python scripts/po_fill.py translations.py   # a file defining T = {msgid: msgstr}
Prints the messages that are still untranslated.
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale/nl/LC_MESSAGES/django.po"


def main():
    translations = {}
    for path in sys.argv[1:]:
        translations.update(runpy.run_path(path)["T"])
    po = polib.pofile(str(PO))
    po.metadata["Language"] = "nl"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    for entry in po:
        if entry.msgid in translations:
            value = translations[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.translated()]
    print(f"{len(missing)} untranslated")
    for msgid in missing:
        print(repr(msgid))


if __name__ == "__main__":
    main()
