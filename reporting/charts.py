"""Charts are pure: plain data in, a plotly figure (as a dict) and the table of the same numbers out.

Nothing here knows the ORM. Every chart on a page is drawn from one `Chart`, so the plot, the table
beside it and its CSV download always show exactly the same numbers, suppressed ones included.
"""

import csv
import datetime
import html
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from programme import calendar
from programme.portal.spreadsheets import neutralise_formula

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
    point_notes: list | None = None  # per point, e.g. its source: shown on hover, and in the table when asked
    hidden: bool = False  # drawn on demand: in the legend (a click shows it) and in the table, not in the plot


@dataclass
class Chart:
    key: str
    title: str
    categories: list[str]
    series: list[Series]
    kind: str = "bar"  # bar, stacked_bar, line, hbar, hbar_stacked, timeline
    y_title: str = ""
    category_title: str = ""
    decimals: int = 0
    notes: list[str] = field(default_factory=list)
    height: int | None = None  # pixels; long horizontal charts grow with their categories
    # Timeline only: the group of each category (the action line of each measure), its column title, and today.
    groups: list[str] = field(default_factory=list)
    group_title: str = ""
    today: datetime.date | None = None
    today_label: str = ""
    notes_in_table: bool = False  # the table and CSV show each point's note beside its value
    series_title: str = ""  # what the series are (e.g. "Municipality"), for a table shown turned a quarter
    # The drawn tick labels of the categories, when the full names (kept in the table and CSV) are too long.
    short_categories: list[str] | None = None

    # The values of each series as text, by id(series): the table and the plot's hover show the same text, so it is
    # formatted once per chart (a chart of every municipality has hundreds of values).
    _texts: dict[int, list[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def texts(self, series: Series) -> list[str]:
        """Each value of one of the chart's series as the page writes it: Dutch numbers, dates written out."""
        texts = self._texts.get(id(series))
        if texts is None:
            texts = self._texts[id(series)] = [format_cell(value, self.decimals) for value in series.values]
        return texts

    def column(self, series: Series) -> list[str]:
        """The table's cells of one series, top to bottom: the number as shown, and its note when the table
        shows notes."""
        texts = self.texts(series)
        if not (self.notes_in_table and series.point_notes):
            return texts
        return [f"{text} ({note})" if note and value is not None else text
                for text, value, note in zip(texts, series.values, series.point_notes, strict=True)]

    @property
    def is_empty(self) -> bool:
        return not self.categories or all(all(v is None for v in s.values) for s in self.series)

    @property
    def is_horizontal(self) -> bool:
        return self.kind in {"hbar", "hbar_stacked", "timeline"}


def _number(value):
    """A plottable number, or None for missing and suppressed values (they leave a gap, never a zero).

    Whole numbers stay integers, so the page's JSON carries "93" rather than "93.0".
    """
    if value is None or isinstance(value, str | Promise):
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def format_number(value, decimals: int = 0) -> str:
    """Dutch number format: '.' for thousands, ',' for decimals; strings (such as '<5') pass through."""
    if value is None:
        return "–"
    if isinstance(value, str | Promise):
        return str(value)
    if type(value) is int and not decimals:  # most numbers of a chart: no float formatting needed
        return f"{value:,}".replace(",", ".")
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_date(value) -> str:
    """A date in the active language's long form (1 maart 2024 in Dutch); strings pass through.

    The same text as Django's date format "j F Y", without its general formatter (a timeline formats hundreds).
    """
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "j F Y")
    return f"{value.day} {_month_names_in(get_language())[value.month]} {value.year}"


@lru_cache(maxsize=16)
def _month_names_in(language: str) -> dict[int, str]:
    """The month names, translated once per language rather than once per date (a timeline has hundreds)."""
    return {number: str(name) for number, name in MONTHS.items()}


def format_cell(value, decimals: int = 0) -> str:
    if isinstance(value, datetime.date):
        return format_date(value)
    return format_number(value, decimals)


def plain(text) -> str:
    """User text made plain for plotly, which renders a subset of HTML (links included) in names, labels and
    hovers: `&`, `<` and `>` become entities, which plotly shows as the characters themselves."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _hover(chart: Chart, series: Series) -> tuple[list[str], str]:
    """The hover text of each point, and what follows it in every point's hover.

    A note that every point with a value shares (one source for the whole series) is written once in the
    hover template instead of in each point's text: the same hover, fewer bytes on the page.
    """
    numbers = chart.texts(series)
    notes = {note for v, note in zip(series.values, series.point_notes or [], strict=False) if v is not None}
    if not series.point_notes or notes == {None}:
        return numbers, ""
    if len(notes) == 1:
        return numbers, f" · {plain(notes.pop())}"
    return [text + (f" · {note}" if note and v is not None else "")
            for text, v, note in zip(numbers, series.values, series.point_notes, strict=True)], ""


def _timeline(chart: Chart) -> dict:
    """Measures as bars from start to end on a date axis, one trace per group (action line), with a today line.

    The first series holds the start dates, the second the end dates; a measure without an end runs to today.
    """
    starts, ends = chart.series[0].values, chart.series[1].values
    start_texts, end_texts = chart.texts(chart.series[0]), chart.texts(chart.series[1])  # as in the table
    categories = [plain(c) for c in chart.categories]
    urls = chart.series[0].urls or [None] * len(starts)
    today = chart.today or calendar.today()
    traces, order = [], []
    for group in chart.groups:
        if group not in order:
            order.append(group)
    for index, group in enumerate(order):
        rows = [i for i, g in enumerate(chart.groups) if g == group and starts[i] is not None]
        if not rows:
            continue
        ends_shown = [ends[i] or max(today, starts[i]) for i in rows]
        traces.append({
            "type": "bar",
            "orientation": "h",
            "name": plain(group),
            "y": [categories[i] for i in rows],
            "base": [starts[i].isoformat() for i in rows],
            # On a date axis a horizontal bar's length is in milliseconds.
            "x": [max((end - starts[i]).days, 1) * 86400000 for i, end in zip(rows, ends_shown, strict=True)],
            "marker": {"color": PALETTE[index % len(PALETTE)]},
            "customdata": [urls[i] for i in rows],
            "text": [f"{start_texts[i]} – {end_texts[i] if ends[i] else '…'}" for i in rows],
            "textposition": "none",
            "hovertemplate": "%{y}<br>%{text}<extra>" + group.replace("<", "&lt;") + "</extra>",
        })
    layout = _base_layout(chart)
    layout["barmode"] = "overlay"
    layout["xaxis"] = {"type": "date", "title": {"text": plain(chart.y_title)}, "gridcolor": "#dddddd",
                       "tickformat": "%b %Y", "automargin": True}
    layout["yaxis"] = {"type": "category", "autorange": "reversed", "automargin": True,
                       "title": {"text": plain(chart.category_title)}, "categoryorder": "array",
                       "categoryarray": categories}
    if chart.short_categories:
        layout["yaxis"].update({"tickmode": "array", "tickvals": categories,
                                "ticktext": [plain(c) for c in chart.short_categories]})
    layout["shapes"] = [{
        "type": "line", "xref": "x", "yref": "paper", "x0": today.isoformat(), "x1": today.isoformat(),
        "y0": 0, "y1": 1, "line": {"color": REFERENCE_COLOUR, "width": 2, "dash": "dash"},
    }]
    layout["annotations"] = [{
        "x": today.isoformat(), "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
        "text": plain(chart.today_label), "font": {"size": 12},
    }] if chart.today_label else []
    return {"data": traces, "layout": layout}


def _base_layout(chart: Chart) -> dict:
    layout = {
        "separators": ",.",
        "barmode": "stack" if chart.kind in {"stacked_bar", "hbar_stacked"} else "group",
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        # Above the plot, in the order of the series, so it never collides with the axis title below.
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                   "traceorder": "normal"},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13},
        "hovermode": "closest",
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    if len(chart.series) > 8:
        # Many lines (every municipality of a region): the legend below the plot in rows, the chart taller by
        # as many rows as it needs, so every entry is visible at any width (never a legend cut off at the side).
        rows = -(-len(chart.series) // 4)
        layout["legend"] = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.18, "yanchor": "top",
                            "traceorder": "normal", "font": {"size": 11}}
        layout["margin"] = {**layout["margin"], "b": 80 + 22 * rows}
        layout["height"] = 380 + 22 * rows
    if chart.height:
        layout["height"] = chart.height
    return layout


def figure(chart: Chart) -> dict:
    """The plotly figure of a chart as a JSON-ready dict, laid out in Dutch number format."""
    if chart.kind == "timeline":
        return _timeline(chart)
    traces = []
    horizontal = chart.is_horizontal
    categories = [plain(c) for c in chart.categories]
    for index, series in enumerate(chart.series):
        colour = series.colour or (REFERENCE_COLOUR if series.reference else PALETTE[index % len(PALETTE)])
        values = [_number(v) for v in series.values]
        texts, shared_note = _hover(chart, series)
        common = {
            "name": plain(series.name),
            "text": texts,
            "hovertemplate": "%{text}" + shared_note + "<extra>" + plain(series.name) + "</extra>",
        }
        if series.urls and any(series.urls):
            # Only where a click leads somewhere: a trace without links carries no list of nulls.
            common["customdata"] = series.urls
        if series.hidden:
            common["visible"] = "legendonly"
        if chart.kind == "line" or series.reference:
            trace = {
                # Markers on every line, reference lines too: a series with a single value is a point, not nothing.
                "type": "scatter",
                "mode": "lines+markers",
                "x": values if horizontal else categories,
                "y": categories if horizontal else values,
                "line": {"color": colour, "width": 2, "dash": "dash" if series.reference else "solid"},
                "marker": {
                    "size": 5 if series.reference else 7,
                    "symbol": ["circle", "square", "diamond", "triangle-up", "cross", "x"][index % 6],
                },
                "connectgaps": False,
            }
        elif horizontal:
            trace = {"type": "bar", "orientation": "h", "y": categories, "x": values, "marker": {"color": colour}}
        else:
            trace = {"type": "bar", "x": categories, "y": values, "marker": {"color": colour}}
        trace.update(common)
        traces.append(trace)
    layout = _base_layout(chart)
    value_axis = {
        "title": {"text": plain(chart.y_title)},
        "tickformat": ",." + str(chart.decimals) + "f",
        "rangemode": "tozero",
        "gridcolor": "#dddddd",
    }
    category_axis = {"title": {"text": plain(chart.category_title)}, "type": "category", "automargin": True}
    if chart.short_categories:
        category_axis.update({"tickmode": "array", "tickvals": categories,
                              "ticktext": [plain(c) for c in chart.short_categories]})
    if not horizontal and len(categories) > 8:
        # Many quarters: slanted labels, never overlapping ones (plotly skips labels only on numeric axes).
        category_axis["tickangle"] = -45
    if horizontal:
        layout["xaxis"], layout["yaxis"] = value_axis, {**category_axis, "autorange": "reversed"}
    else:
        layout["xaxis"], layout["yaxis"] = category_axis, value_axis
    return {"data": traces, "layout": layout}


def table(chart: Chart) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the table beside the chart: one row per category, one column per series.

    A timeline adds the group (action line) of each category as its second column.
    """
    grouped = chart.kind == "timeline" and chart.groups
    header = [chart.category_title or "", *([chart.group_title] if grouped else []), *[s.name for s in chart.series]]
    # Formatted a series at a time (a column), then read across: a table of every municipality has hundreds of cells.
    if grouped:
        rows = [[category, group] for category, group in zip(chart.categories, chart.groups, strict=True)]
    else:
        rows = [[category] for category in chart.categories]
    for series in chart.series:
        for row, cell in zip(rows, chart.column(series), strict=True):
            row.append(cell)
    return header, rows


def csv_text(chart: Chart) -> str:
    """The chart's numbers as CSV for Excel users in the Netherlands: ';' separated, Dutch numbers."""
    header, rows = table(chart)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(h)) for h in header])
    for row in rows:
        writer.writerow([neutralise_formula(str(cell)) for cell in row])
    return "\ufeff" + buffer.getvalue()


# What json_script escapes, done with str.replace: str.translate is ten times slower on a chart's JSON.
_JSON_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


def figure_script(figure_data: dict, element_id: str) -> str:
    """The plotly figure as a JSON data block for static/js/charts.js, as Django's json_script writes it but
    compact (no spaces after separators, non-ASCII letters as themselves)."""
    text = json.dumps(figure_data, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)
    for character, escaped in _JSON_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(f'<script id="{html.escape(element_id)}" type="application/json">{text}</script>')


def table_html(caption: str, header: list, rows: list[list]) -> str:
    """The table twin of a chart: its rows as the page shows them, every cell escaped.

    Built here rather than by template loops: a table of every municipality has hundreds of cells, and the
    template engine took most of a dashboard's rendering time for them.
    """
    escape = html.escape
    parts = [f'<table class="table table-sm table-striped table-numbers"><caption>{escape(str(caption))}</caption>'
             "<thead><tr>"]
    for position, cell in enumerate(header):
        parts.append(f'<th scope="col" class="num">{escape(str(cell))}</th>' if position
                     else f'<th scope="col">{escape(str(cell))}</th>')
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append(f'<tr><th scope="row">{escape(str(row[0]))}</th>')
        parts.extend(f'<td class="num">{escape(str(cell))}</td>' for cell in row[1:])
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return mark_safe("".join(parts))


def chart_html(view: dict) -> str:
    """The card of one chart from its chart_context: the plot, the table with the same numbers, the CSV download
    and the notes; templates/includes/chart.html shows it.

    Written here rather than by a template: a dashboard shows up to eight charts, and including a template for each
    cost more than the markup it writes. Every value is escaped as the template engine would escape it.
    """
    escape = conditional_escape
    key, title = escape(view["key"]), escape(view["title"])
    parts = [f'\n<section class="card mb-4 chart-card" aria-labelledby="chart-{key}-title"><div class="card-body">\n'
             f'<h3 id="chart-{key}-title" class="h5">{title}</h3>\n']
    if view["empty"]:
        parts.append(f'<p class="text-body-secondary">{escape(_("No data for this selection."))}</p>')
    else:
        plot_width, table_width = ("col-12", "col-12") if view["wide"] else ("col-xl-7", "col-xl-5")
        parts.append(
            f'\n<div class="row g-3"><div class="{plot_width}">\n'
            f'<div class="chart chart-plot" id="chart-{key}" data-chart-source="{escape(view["data_id"])}" '
            f'role="figure" aria-label="{escape(view["plot_label"])}"></div>\n'
            f'{view["figure_script"]}</div>\n'
            f'<div class="{table_width}">\n'
            f'<div class="table-responsive chart-table-scroll" tabindex="0" role="region" '
            f'aria-label="{escape(view["table_label"])}">{view["table_html"]}</div>\n')
        if view["csv_url"]:
            link = _('Download the numbers (CSV)<span class="visually-hidden"> of %(title)s</span>') % {
                "title": title}
            parts.append(f'<a class="btn btn-outline-secondary btn-sm" href="{escape(view["csv_url"])}" download>'
                         f"{link}</a>")
        parts.append("\n")
        parts.extend(f'<p class="small text-body-secondary mt-2 mb-0">{escape(note)}</p>' for note in view["notes"])
        parts.append("\n</div></div>")
    parts.append("\n</div></section>\n")
    return mark_safe("".join(parts))


def chart_context(chart: Chart, *, csv_url: str = "") -> dict:
    """What templates/includes/chart.html needs to show one chart.

    A table of many series (every municipality of a region) is shown turned a quarter: a row per series and a
    column per category, so it fits the width and wraps instead of hiding columns. The CSV keeps table()'s form.
    """
    header, rows = table(chart)
    wide = len(header) > 9 and chart.kind != "timeline"
    shown_header, shown_rows = header, rows
    if wide:
        shown_header = [chart.series_title or "", *[row[0] for row in rows]]
        shown_rows = [[name, *[row[position + 1] for row in rows]] for position, name in enumerate(header[1:])]
    data_id = f"chart-{chart.key}-data"
    table_label = _("Numbers of the chart: %(title)s") % {"title": chart.title}
    figure_data = figure(chart)
    view = {
        "key": chart.key,
        "title": chart.title,
        # Plain strings, escaped as a whole where the template puts them into an attribute: a title may hold
        # quotes, and the translation itself holds none that could close the attribute.
        "plot_label": _("Chart: %(title)s. The same numbers are in the table.") % {"title": chart.title},
        "table_label": table_label,
        "empty": chart.is_empty,
        "figure": figure_data,
        "data_id": data_id,
        "figure_script": "" if chart.is_empty else figure_script(figure_data, data_id),
        "header": header,  # as in the CSV
        "rows": rows,
        "shown_header": shown_header,  # as on the page
        "shown_rows": shown_rows,
        "table_html": "" if chart.is_empty else table_html(table_label, shown_header, shown_rows),
        "csv_url": csv_url,
        "notes": chart.notes,
        # Many columns: plot and table each take the full width, so the table wraps its cells instead of
        # scrolling them out of sight.
        "wide": wide,
    }
    view["html"] = chart_html(view)
    return view
