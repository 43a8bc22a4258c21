"""Disclosure control: the one step every figure leaving its region goes through (pages, charts, exports, reports).

The rule is the one CBS applies to these very tables (Veilig Thuis counts): for a viewer outside the owning
region every published count of a protected indicator is rounded to a multiple of the base (the national
threshold plus one, so 5), half up; a count under the base (0 to 4) shows as "<5". Totals over municipalities,
the region and the country, and over half years and years, are computed from exact values and rounded after,
never summed from rounded parts; rates and averages are computed from the rounded count (the population is
public, so a rate would give the count back). Zero shows as "<5" too: an exact 0 next to a "<5" would tell a
reader that the hidden cell is at least 1, and a rounded total minus such parts can then pin it.

Why rounding and not secondary suppression: with rounding no combination of published numbers (a total minus
its other parts, across municipality, region and country and across quarter, half year and year, or a rate
times the population) narrows a hidden count below a range of several values, whatever tables a viewer
combines, without having to track which tables exist; and the national overview keeps every region's
number instead of losing every region that has one small municipality-quarter.
tests/reporting/test_disclosure_attack.py proves it with linear programming over everything the national team
can download.
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils.translation import gettext as _

from programme.access import scope_of

THOUSAND = Decimal(1000)
CENT = Decimal("0.01")


def rate(value, inhabitants) -> Decimal | None:
    """Per 1,000 inhabitants, to two decimals (half up)."""
    if value is None or not inhabitants:
        return None
    return (Decimal(value) * THOUSAND / Decimal(inhabitants)).quantize(CENT, rounding=ROUND_HALF_UP)


def threshold() -> int:
    from programme.services.disclosure import disclosure_threshold

    return disclosure_threshold()


def is_hidden(shown) -> bool:
    """Whether a value returned by a Disclosure is the label of a hidden number rather than a number."""
    return isinstance(shown, str)


class Disclosure:
    """What one viewer may see of one region's figures.

    `exact` viewers (members of the owning region, in anything that does not leave the region) see every
    number; everyone else gets counts of protected indicators rounded and small ones as the label. The
    threshold is only read when something is protected, so pages of the region itself cost no query for it.
    """

    def __init__(self, *, exact: bool, threshold: int | None = None):
        self.exact = exact
        if threshold is not None:
            self.__dict__["threshold"] = threshold

    def __repr__(self):
        return f"Disclosure(exact={self.exact})"

    @classmethod
    def for_viewer(cls, user, region_id: int | None, *, public: bool = False) -> "Disclosure":
        """The rule for `user` looking at figures of `region_id`; `public` for an export meant to leave it."""
        exact = not public and region_id is not None and scope_of(user).belongs_to_region(region_id)
        return cls(exact=exact)

    @classmethod
    def outside(cls) -> "Disclosure":
        """For outputs that always leave the regions: the national overview, anonymous snapshots."""
        return cls(exact=False)

    @cached_property
    def threshold(self) -> int:
        return threshold()

    @property
    def base(self) -> int:
        return self.threshold + 1

    @property
    def label(self) -> str:
        return f"<{self.base}"

    def protects(self, suppress: bool) -> bool:
        return bool(suppress) and not self.exact

    def count(self, value, *, suppress: bool):
        """A published count: exact, rounded to a multiple of the base, or the label when under the base."""
        if value is None or not self.protects(suppress):
            return value
        value = Decimal(value)
        if value < self.base:
            return self.label
        base = Decimal(self.base)
        return int((value / base).quantize(Decimal(1), rounding=ROUND_HALF_UP) * base)

    def rate(self, count, inhabitants, *, suppress: bool):
        """Per 1,000 inhabitants from the count as published (rounded), or the label when that is hidden."""
        shown = self.count(count, suppress=suppress)
        return shown if is_hidden(shown) else rate(shown, inhabitants)

    def average(self, total, number: int, *, suppress: bool):
        """An average over `number` municipalities (a public number) from the total as published."""
        if total is None or not number:
            return None
        shown = self.count(total, suppress=suppress)
        if is_hidden(shown):
            return shown
        return (Decimal(shown) / number).quantize(CENT, rounding=ROUND_HALF_UP)

    def note(self) -> str:
        return _("Outside the region every count is rounded to a multiple of %(base)s and a count under %(base)s "
                 "is shown as %(label)s; totals and rates are computed from exact values and then rounded.") % {
            "base": self.base, "label": self.label}
