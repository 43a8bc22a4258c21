"""Pages of breakdowns by form of violence: the table (with a chart and the total check), its exports, the grid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programme.access import require_role
from reporting import charts, exports
from reporting.breakdowns import selectors, services
from reporting.breakdowns.forms import BreakdownGridForm
from reporting.figures import selectors as figure_selectors
from reporting.figures.access import entry_rights, region_for_figures
from reporting.figures.services import GridConflict, GridInvalid
from reporting.figures.views import figures_nav, grid_source, period_from
from reporting.locks import rules as locks
from reporting.models import FigureSource


def _indicator_from(request, indicators):
    if not indicators:
        raise Http404
    chosen = request.GET.get("indicator")
    return next((i for i in indicators if str(i.pk) == chosen), indicators[0])


def _table_for(request, region):
    indicator = _indicator_from(request, list(figure_selectors.indicators()))
    period = (None if request.GET.get("period") else selectors.latest_period_with_breakdowns(region, indicator)) or (
        period_from(request))
    present = selectors.sources_present(region=region, indicator=indicator, period=period)
    source = request.GET.get("source")
    if source not in present:
        source = present[0] if present else FigureSource.VEILIG_THUIS
    table = selectors.breakdown_table(user=request.user, region=region, indicator=indicator, period=period,
                                      source=source, public=request.GET.get("public") == "1")
    return table, present


def _chart(table) -> dict:
    chart = charts.Chart(
        key="breakdown", title=_("%(indicator)s by form of violence, %(period)s") % {
            "indicator": table.indicator.name, "period": table.period.label},
        categories=[name for name, _value in table.chart], kind="hbar",
        series=[charts.Series(name=table.region.name, values=[value for _name, value in table.chart])],
        category_title=_("Form of violence"), y_title=table.indicator.name,
        notes=[table.disclosure.note()] if table.rounded else [],
    )
    return charts.chart_context(chart)


@login_required
def breakdown_table(request, region: int):
    require_role(request.user)
    region = region_for_figures(request.user, region)
    table, present = _table_for(request, region)
    return render(request, "reporting/breakdowns/breakdown_table.html", {
        **figures_nav(request, region, "breakdown"),
        "table": table,
        "chart": _chart(table) if table.has_parts else None,
        "indicators": figure_selectors.indicators(),
        "periods": figure_selectors.periods(),
        "sources": [(s, FigureSource(s).label) for s in present] or [(table.source, FigureSource(table.source).label)],
        "source_label": FigureSource(table.source).label,
        "query": request.GET.urlencode(),
    })


@login_required
def breakdown_export(request, region: int, fmt: str):
    require_role(request.user)
    if fmt not in exports.FORMATS:
        raise Http404
    region = region_for_figures(request.user, region)
    table, _present = _table_for(request, region)
    header, rows = selectors.export_rows(table)
    return exports.table_response(fmt, f"geweldsvormen-{region.code}-{table.indicator.code}-{table.period.code}",
                                  header, rows)


@login_required
def breakdown_grid(request, region: int):
    require_role(request.user)
    region = region_for_figures(request.user, region)
    rights = entry_rights(request.user, region)
    if not rights.any:
        raise PermissionDenied
    indicator = _indicator_from(request, rights.indicator_columns)
    period = period_from(request)
    source = grid_source(request, rights)
    forms = selectors.violence_forms()
    rows = selectors.grid(rights=rights, indicator=indicator, period=period, source=source, forms=forms)
    form = BreakdownGridForm(request.POST if request.method == "POST" else None, rows=rows)
    conflicts = frozenset()
    if form.is_bound and form.is_valid():
        try:
            count = services.breakdowns_save_grid(rights=rights, indicator=indicator, period=period, source=source,
                                                  cells=form.grid_cells(), acting_user=request.user)
        except GridInvalid as invalid:
            form.add_cell_errors(invalid.errors)
        except locks.PeriodLocked as locked:
            messages.error(request, locked.messages[0])
        except GridConflict as conflict:
            conflicts = frozenset(f"c-{m}-{c}" for m, c in conflict.cells)
            messages.error(request, _(
                "Someone else changed some of these figures after you opened the grid, so nothing has been saved. "
                "The marked cells show the value saved now beside your input; check them and save again."))
        else:
            messages.success(request, ngettext("%(count)s figure saved.", "%(count)s figures saved.", count)
                             % {"count": count})
            return redirect(request.get_full_path())
    if form.errors:
        messages.error(request, _("Some cells are not valid; nothing has been saved. Correct the marked cells."))
    form.show_in(rows, conflicts=conflicts)
    lock = locks.lock_covering(region.pk, period)
    return render(request, "reporting/breakdowns/breakdown_grid.html", {
        "lock": lock,
        "lock_message": locks.refusal(period, lock) if lock else "",
        **figures_nav(request, region, "grid"),
        "rows": rows,
        "forms": forms,
        "indicator": indicator,
        "indicators": rights.indicator_columns,
        "period": period,
        "periods": figure_selectors.periods(),
        "source": source,
        "source_label": FigureSource(source).label,
        "sources": [(s, FigureSource(s).label) for s in rights.sources],
    })
