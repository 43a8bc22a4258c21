"""Small numbers: counts from 1 up to the threshold are shown as "<5" outside the owning region.

Every page, chart and export that shows figures goes through these functions, so suppression is
decided in one place, and so is the suppression of totals that would give the hidden values away.
"""

from django.conf import settings

from programme.access import scope_of


def threshold() -> int:
    return settings.SMALL_NUMBER_THRESHOLD


def suppressed_label() -> str:
    return f"<{threshold() + 1}"


def is_small(value) -> bool:
    return value is not None and 1 <= value <= threshold()


def sees_exact_values(user, region_id: int | None) -> bool:
    """Users of the owning region see exact values; everyone else (the national team included) does not."""
    scope = scope_of(user)
    return region_id is not None and scope.belongs_to_region(region_id)


def display_value(value, *, suppress_small: bool, exact: bool):
    """The value as the viewer may see it: the number itself, or the "<5" label."""
    if suppress_small and not exact and is_small(value):
        return suppressed_label()
    return value


def total_is_suppressed(values, *, suppress_small: bool, exact: bool) -> bool:
    """Whether a total (or average, or region rate) over `values` must be hidden from this viewer.

    A total over municipalities of which even one is shown as "<5" would let a reader recover the hidden
    values by subtracting the visible ones (and with two or more hidden, their sum, which at the extremes
    pins each down too). So outside the owning region such a total is not shown at all.
    """
    if exact or not suppress_small:
        return False
    return any(is_small(value) for value in values)
