"""Every Dutch municipality by CBS code and name (reference data, not portal organisations): it tells a municipality
of another part of the country from a name that is no municipality at all."""

import csv
import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MUNICIPALITIES_FILE = Path(__file__).resolve().parent / "data" / "municipalities-nl.csv"


@dataclass(frozen=True)
class DutchMunicipality:
    cbs_code: str
    name: str  # as CBS writes it in StatLine, e.g. "Bergen (NH.)", "'s-Gravenhage"
    other_names: tuple[str, ...] = ()  # other spellings that name it unambiguously, e.g. "Den Haag"
    merged_on: datetime.date | None = None  # the day it ceased to exist; None for a municipality of today
    merged_into: tuple[str, ...] = ()  # the CBS codes of the municipalities its territory went to

    @property
    def is_current(self) -> bool:
        return self.merged_on is None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.other_names)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


@cache
def dutch_municipalities() -> tuple[DutchMunicipality, ...]:
    """The municipalities of CBS's division of the year in the file, and those merged since 2019: read once per
    process."""
    with MUNICIPALITIES_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            DutchMunicipality(
                cbs_code=row["cbs_code"].strip(),
                name=row["name"].strip(),
                other_names=_split(row["other_names"]),
                merged_on=datetime.date.fromisoformat(row["merged_on"]) if row["merged_on"].strip() else None,
                merged_into=_split(row["merged_into"]),
            )
            for row in csv.DictReader(handle)
        )
