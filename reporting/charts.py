"""Charts are pure: plain data in, a plotly figure (as a dict) and the table of the same numbers out.

Nothing here knows the ORM. Every chart on a page is drawn from one `Chart`, so the plot, the table
beside it and its CSV download always show exactly the same numbers, suppressed ones included.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

# Okabe-Ito: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
HEALTH_COLOURS = {"on_track": "#009E73", "at_risk": "#E69F00", "off_track": "#D55E00"}
REFERENCE_COLOUR = "#000000"


@dataclass
class Series:
    name: str
    values: list  # numbers, None (no value) or a string such as "<5" (suppressed)
    urls: list | None = None  # where a click on each point leads (the filtered list behind it)
    colour: str | None = None
    reference: bool = False  # drawn as a dashed reference line (e.g. the regional average)


@dataclass
class Chart:
    key: str
    title: str
    categories: list[str]
    series: list[Series]
    kind: str = "bar"  # bar, stacked_bar, line, hbar_stacked
    y_title: str = ""
    category_title: str = ""
    decimals: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.categories or all(all(v is None for v in s.values) for s in self.series)


def _number(value):
    """A plottable number, or None for missing and suppressed values (they leave a gap, never a zero)."""
    if value is None or isinstance(value, str):
        return None
    return float(value) if isinstance(value, Decimal) else value


def format_number(value, decimals: int = 0) -> str:
    """Dutch number format: '.' for thousands, ',' for decimals; strings (such as '<5') pass through."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _hover_texts(series: Series, decimals: int) -> list[str]:
    return [format_number(v, decimals) for v in series.values]


def figure(chart: Chart) -> dict:
    """The plotly figure of a chart as a JSON-ready dict, laid out in Dutch number format."""
    traces = []
    horizontal = chart.kind == "hbar_stacked"
    for index, series in enumerate(chart.series):
        colour = series.colour or (REFERENCE_COLOUR if series.reference else PALETTE[index % len(PALETTE)])
        values = [_number(v) for v in series.values]
        common = {
            "name": series.name,
            "customdata": series.urls or [None] * len(values),
            "text": _hover_texts(series, chart.decimals),
            "hovertemplate": "%{text}<extra>" + series.name.replace("<", "&lt;") + "</extra>",
        }
        if chart.kind == "line" or series.reference:
            trace = {
                "type": "scatter",
                "mode": "lines+markers" if not series.reference else "lines",
                "x": chart.categories,
                "y": values,
                "line": {"color": colour, "width": 2, "dash": "dash" if series.reference else "solid"},
                "marker": {
                    "size": 7,
                    "symbol": ["circle", "square", "diamond", "triangle-up", "cross", "x"][index % 6],
                },
                "connectgaps": False,
            }
        elif horizontal:
            trace = {"type": "bar", "orientation": "h", "y": chart.categories, "x": values, "marker": {"color": colour}}
        else:
            trace = {"type": "bar", "x": chart.categories, "y": values, "marker": {"color": colour}}
        trace.update(common)
        traces.append(trace)
    layout = {
        "separators": ",.",
        "barmode": "stack" if chart.kind in {"stacked_bar", "hbar_stacked"} else "group",
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "legend": {"orientation": "h", "y": -0.2},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13},
        "hovermode": "closest",
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    value_axis = {
        "title": {"text": chart.y_title},
        "tickformat": ",." + str(chart.decimals) + "f",
        "rangemode": "tozero",
        "gridcolor": "#dddddd",
    }
    category_axis = {"title": {"text": chart.category_title}, "type": "category", "automargin": True}
    if horizontal:
        layout["xaxis"], layout["yaxis"] = value_axis, {**category_axis, "autorange": "reversed"}
    else:
        layout["xaxis"], layout["yaxis"] = category_axis, value_axis
    return {"data": traces, "layout": layout}


def table(chart: Chart) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the table beside the chart: one row per category, one column per series."""
    header = [chart.category_title or "", *[s.name for s in chart.series]]
    rows = []
    for position, category in enumerate(chart.categories):
        rows.append([category, *[format_number(s.values[position], chart.decimals) for s in chart.series]])
    return header, rows


def neutralise_formula(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV/Excel injection)."""
    if value and value[0] in ("=", "+", "-", "@", "\t", "\r"):
        # A negative number is data, not a formula.
        try:
            float(value.replace(".", "").replace(",", "."))
            return value
        except ValueError:
            return "'" + value
    return value


def csv_text(chart: Chart) -> str:
    """The chart's numbers as CSV for Excel users in the Netherlands: ';' separated, Dutch numbers."""
    header, rows = table(chart)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_formula(h) for h in header])
    for row in rows:
        writer.writerow([neutralise_formula(str(cell)) for cell in row])
    return "\ufeff" + buffer.getvalue()


def chart_context(chart: Chart, *, csv_url: str = "") -> dict:
    """What templates/includes/chart.html needs to show one chart."""
    header, rows = table(chart)
    return {
        "key": chart.key,
        "title": chart.title,
        "empty": chart.is_empty,
        "figure": figure(chart),
        "data_id": f"chart-{chart.key}-data",
        "header": header,
        "rows": rows,
        "csv_url": csv_url,
        "notes": chart.notes,
    }
