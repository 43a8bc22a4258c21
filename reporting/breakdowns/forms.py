"""The breakdown grid's form: the entry grid's form, with a column per form of violence and one for the total."""

from reporting.figures.forms import FigureGridForm


class BreakdownGridForm(FigureGridForm):
    """Cells named c-<municipality>-<column>, where the column is a violence form id or 0 for the total.

    The grid cells it returns carry that column in `indicator_id`; reporting.breakdowns.services reads it so.
    """
