"""The national list of municipalities (programme/data/municipalities-nl.csv): complete, unambiguous, and in step
with the region's own municipalities."""

import csv
import re

from programme.municipalities import MUNICIPALITIES_FILE, dutch_municipalities
from reporting.imports.parsing import normalise_municipality

REGION_FILE = MUNICIPALITIES_FILE.parent / "zuidoost-brabant-municipalities.csv"


def test_codes_are_cbs_codes_and_unique():
    codes = [municipality.cbs_code for municipality in dutch_municipalities()]
    assert all(re.fullmatch(r"GM\d{4}", code) for code in codes)
    assert len(codes) == len(set(codes))


def test_every_name_normalises_to_one_municipality():
    keys = []
    for municipality in dutch_municipalities():
        for name in municipality.names:
            kind, key = normalise_municipality(name)
            assert kind == "name", name  # never mistaken for a code, a province or the country
            keys.append(key)
    assert len(keys) == len(set(keys))


def test_the_division_of_2025_and_the_municipalities_merged_since_2019():
    municipalities = dutch_municipalities()
    current = [municipality for municipality in municipalities if municipality.is_current]
    assert len(current) >= 342
    codes = {municipality.cbs_code for municipality in municipalities}
    current_codes = {municipality.cbs_code for municipality in current}
    by_name = {municipality.name: municipality for municipality in municipalities}
    for merged in ("Boxmeer", "Cuijk", "Grave", "Mill en Sint Hubert", "Sint Anthonis"):
        assert by_name[merged].merged_into == ("GM1982",) and by_name["Land van Cuijk"].cbs_code == "GM1982"
    assert by_name["Weesp"].merged_into == ("GM0363",) and str(by_name["Weesp"].merged_on) == "2022-03-24"
    for municipality in municipalities:
        if not municipality.is_current:
            assert municipality.merged_into and set(municipality.merged_into) <= current_codes, municipality
    assert {"GM0373", "GM0893", "GM0518", "GM1900", "GM1992"} <= codes


def test_the_regions_municipalities_appear_with_the_same_code_and_name():
    by_code = {municipality.cbs_code: municipality for municipality in dutch_municipalities()}
    with REGION_FILE.open(encoding="utf-8", newline="") as handle:
        region = list(csv.DictReader(handle))
    assert len(region) == 21
    for row in region:
        municipality = by_code[row["cbs_code"]]
        assert (municipality.name, municipality.is_current) == (row["name"], True)


def test_the_list_is_read_once():
    assert dutch_municipalities() is dutch_municipalities()
