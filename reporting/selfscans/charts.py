"""Charts of the self-scan, pure: plain numbers in, a plotly figure and table cells out; no ORM here."""

from django.utils.translation import gettext as _

from reporting.charts import PALETTE, Chart, Series, format_number, plain

# Viridis at seven steps from score 1 to 4: readable with the common forms of colour blindness, and in grey.
HEAT_COLOURS = ["#440154", "#443983", "#31688e", "#21918c", "#35b779", "#90d743", "#fde725"]


def heat_bucket(value) -> int:
    """The colour step (1-7) of an average score from 1 to 4; 0 for no value."""
    if value is None:
        return 0
    return max(1, min(7, int((float(value) - 1) * 2) + 1))


def heat_cells(values: list) -> list[dict]:
    """Table cells of one heat-map row: the number in Dutch format and its colour class."""
    return [{"text": format_number(v, 1), "bucket": heat_bucket(v)} for v in values]


def heat_map_figure(*, themes: list[str], municipalities: list[str], values: list[list], urls: list[list],
                    title: str = "") -> dict:
    """A plotly heat map of municipalities (rows) by themes (columns); each cell shows its number and links
    to the scan behind it (the click follows customdata)."""
    z = [[None if v is None else round(float(v), 2) for v in row] for row in values]
    text = [[format_number(v, 1) if v is not None else "" for v in row] for row in values]
    scale = [[index / (len(HEAT_COLOURS) - 1), colour] for index, colour in enumerate(HEAT_COLOURS)]
    trace = {
        "type": "heatmap", "x": [plain(t) for t in themes], "y": [plain(m) for m in municipalities],
        "z": z, "text": text, "texttemplate": "%{text}",
        "customdata": urls, "zmin": 1, "zmax": 4, "colorscale": scale, "xgap": 2, "ygap": 2,
        "hovertemplate": "%{y}<br>%{x}: %{text}<extra></extra>",
        "colorbar": {"title": {"text": plain(title)}, "tickvals": [1, 2, 3, 4]},
    }
    layout = {
        "separators": ",.", "margin": {"l": 160, "r": 20, "t": 30, "b": 120},
        "height": max(320, 28 * len(municipalities) + 170),
        "xaxis": {"type": "category", "side": "bottom", "automargin": True},
        "yaxis": {"type": "category", "autorange": "reversed", "automargin": True},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
    }
    return {"data": [trace], "layout": layout}


def team_chart(*, key: str, title: str, themes: list[str], own: list, region: list, previous: list,
               own_name: str, region_name: str, previous_name: str | None) -> Chart:
    """A team's average per theme beside the region's average and its own previous year."""
    series = [Series(own_name, own, colour=PALETTE[0]), Series(region_name, region, colour=PALETTE[1])]
    if previous_name:
        series.append(Series(previous_name, previous, colour=PALETTE[2]))
    return Chart(key=key, title=title, categories=themes, series=series, kind="hbar", decimals=1,
                 category_title=_("Theme"),
                 y_title="1–4", height=max(300, 70 * len(themes) + 120))
