"""The formula guard every CSV and Excel download uses, as a table of inputs and what a spreadsheet receives."""

import datetime
from decimal import Decimal

import pytest

from programme.portal.spreadsheets import neutralise_formula

CASES = [
    # Formulas and the characters OWASP lists are quoted.
    ("=1+1", "'=1+1"),
    ('=HYPERLINK("http://kwaad.example")', '\'=HYPERLINK("http://kwaad.example")'),
    ("+31 6 1234", "'+31 6 1234"),
    ("-1+1", "'-1+1"),
    ("-A1", "'-A1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("\tgewoon", "'\tgewoon"),
    ("\rgewoon", "'\rgewoon"),
    # After leading whitespace, a spreadsheet still reads a formula.
    (" =1+1", "' =1+1"),
    ("  @A1", "'  @A1"),
    ("\n=1", "'\n=1"),
    ("\u00a0+1", "'\u00a0+1"),
    # Text that is exactly a negative number holds no formula and stays a number for the reader.
    ("-5", "-5"),
    ("-12,5", "-12,5"),
    ("-1.234.567,0", "-1.234.567,0"),
    (" -5", " -5"),
    ("-5e3", "'-5e3"),
    ("-inf", "'-inf"),
    ("-", "'-"),
    ("--5", "'--5"),
    ("-٣", "'-٣"),
    # Ordinary text, and characters that only matter at the start, pass.
    ("Helmond", "Helmond"),
    ("a=1", "a=1"),
    ("e-mail", "e-mail"),
    ("<5", "<5"),
    ("–", "–"),
    ("", ""),
    ("'=1", "'=1"),
    # Typed values cannot hold a formula and pass unchanged, negative ones too.
    (5, 5),
    (-5, -5),
    (-12.5, -12.5),
    (Decimal("-3.50"), Decimal("-3.50")),
    (True, True),
    (None, None),
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1)),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_neutralise_formula(value, expected):
    result = neutralise_formula(value)
    assert result == expected and type(result) is type(expected)
