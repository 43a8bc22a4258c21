"""The spreadsheet formula guard of exports. (Disclosure control of figures lives in reporting.disclosure.)"""


def neutralise_for_spreadsheet(value):
    """A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
