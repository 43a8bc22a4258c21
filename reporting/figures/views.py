"""Pages of figures: the table with rates, the entry grid and the history."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import HiddenInput
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programme import calendar
from programme.access import require_role, scope_of
from programme.models import ReportingPeriod
from reporting import exports
from reporting.comments.forms import FigureCommentForm
from reporting.comments.selectors import comment_counts, comments_for, thread_url
from reporting.comments.selectors import may_read_comments as comments_readable
from reporting.figures import selectors, services
from reporting.figures.access import can_manage_reference, entry_rights, region_for_figures, regions_for_entry
from reporting.figures.completeness import completeness_table
from reporting.figures.forms import FigureGridForm
from reporting.locks import rules as locks
from reporting.models import FigureSource
from reporting.quality.access import may_see_overview


def grid_source(request, rights) -> str:
    """The source an entry grid writes: the one asked for, else the user's own, else the first the user may."""
    source = request.GET.get("source")
    if source is None:
        default = selectors.default_source(request.user)
        return default if default in rights.sources else rights.sources[0]
    if source not in rights.sources:
        # A source the user's organisation does not deliver (CBS only comes from a CBS file or the fetch).
        raise Http404
    return source


def period_from(request) -> ReportingPeriod:
    pk = request.GET.get("period")
    if pk:
        try:
            return selectors.period_for(int(pk))
        except ValueError as error:
            raise Http404 from error
    period = calendar.latest_ended()
    if period is None:
        raise Http404
    return period


def figures_nav(request, region=None, active=""):
    return {"region": region, "active_tab": active, "can_manage": can_manage_reference(request.user),
            "can_import": bool(regions_for_entry(request.user)),
            "can_enter": bool(region and entry_rights(request.user, region).any) if region else False,
            "can_see_quality": bool(region) and may_see_overview(request.user, region),
            # The history is the region's own (the national team reads figures, not who changed them).
            "can_see_history": bool(region) and (request.user.is_superuser
                                                 or region.pk in scope_of(request.user).region_ids)}


@login_required
def figures_home(request):
    require_role(request.user)
    region = selectors.first_visible_region(request.user)
    if region is None:
        raise Http404
    return redirect("reporting:figure_table", region=region.pk)


def _table_for(request, region):
    indicators = list(selectors.indicators())
    if not indicators:
        raise Http404
    indicator = next((i for i in indicators if str(i.pk) == request.GET.get("indicator")), indicators[0])
    # Without a chosen period, open on the latest period that has figures rather than an empty table.
    period = (None if request.GET.get("period") else selectors.latest_period_with_figures(region, indicator)) or (
        period_from(request)
    )
    present = selectors.sources_present(region=region, indicator=indicator, period=period)
    source = request.GET.get("source")
    if source not in present:
        # A source without figures for this indicator and period would show an empty table: take one that has them.
        source = present[0] if present else FigureSource.VEILIG_THUIS
    public = request.GET.get("public") == "1"
    table = selectors.figure_table(
        user=request.user, region=region, period=period, indicator=indicator, source=source, public=public
    )
    return table, indicators, present


@login_required
def figure_table(request, region: int):
    require_role(request.user)
    region = region_for_figures(request.user, region)
    table, indicators, present = _table_for(request, region)
    counts = comment_counts(user=request.user, region=region, period=table.period)
    for row in table.rows:
        row["comments"] = counts.get((row["municipality"].pk, table.indicator.pk), 0)
        row["thread_url"] = thread_url(region.pk, municipality_id=row["municipality"].pk,
                                       indicator_id=table.indicator.pk, period_id=table.period.pk)
    lock = locks.lock_covering(region.pk, table.period)
    context = {
        **figures_nav(request, region, "table"),
        "table": table,
        "indicators": indicators,
        "periods": selectors.periods(),
        "sources": [(s, FigureSource(s).label) for s in present] or [(table.source, FigureSource(table.source).label)],
        "source_label": FigureSource(table.source).label,
        "regions": selectors.regions_with_figures_visible_to(request.user),
        "query": request.GET.urlencode(),
        "lock": lock,
        "lock_message": locks.refusal(table.period, lock) if lock else "",
        # Comments are the region's own: the national team sees the table without them.
        "shows_comments": comments_readable(request.user, region.pk),
    }
    return render(request, "reporting/figures/figure_table.html", context)


@login_required
def figure_export(request, region: int, fmt: str):
    require_role(request.user)
    if fmt not in exports.FORMATS:
        raise Http404
    region = region_for_figures(request.user, region)
    table, _indicators, _present = _table_for(request, region)
    header, rows = selectors.export_rows(table)
    return exports.table_response(fmt, f"cijfers-{region.code}-{table.indicator.code}-{table.period.code}",
                                  header, rows)


@login_required
def figure_grid(request, region: int):
    require_role(request.user)
    region = region_for_figures(request.user, region)
    rights = entry_rights(request.user, region)
    if not rights.any:
        raise PermissionDenied
    period = period_from(request)
    source = grid_source(request, rights)
    rows = selectors.grid(rights=rights, period=period, source=source)
    lock = locks.lock_covering(region.pk, period)
    form = FigureGridForm(request.POST if request.method == "POST" else None, rows=rows)
    conflicts = frozenset()
    if form.is_bound and form.is_valid():
        try:
            count = services.figures_save_grid(
                rights=rights, period=period, source=source, cells=form.grid_cells(), acting_user=request.user
            )
        except services.GridInvalid as invalid:
            form.add_cell_errors(invalid.errors, invalid.explain)
        except locks.PeriodLocked as locked:
            messages.error(request, locked.messages[0])
        except services.GridConflict as conflict:
            conflicts = frozenset(f"c-{m}-{i}" for m, i in conflict.cells)
            messages.error(request, _(
                "Someone else changed some of these figures after you opened the grid, so nothing has been saved. "
                "The marked cells show the value saved now beside your input; check them and save again."))
        else:
            messages.success(request, ngettext("%(count)s figure saved.", "%(count)s figures saved.", count)
                             % {"count": count})
            return redirect(request.get_full_path())
    if form.errors:
        messages.error(request, _("Some cells are not valid; nothing has been saved. Correct the marked cells."))
    # Keep the user's input after a failed save; the saved value and version come fresh from the database.
    form.show_in(rows, conflicts=conflicts)
    _mark_comments(request.user, region, period, rows)
    context = {
        **figures_nav(request, region, "grid"),
        "rows": rows,
        "indicators": rights.indicator_columns,
        "period": period,
        "periods": selectors.periods(),
        "source": source,
        "source_label": FigureSource(source).label,
        "sources": [(s, FigureSource(s).label) for s in rights.sources],
        "has_errors": bool(form.errors or conflicts),
        "lock": lock,
        "lock_message": locks.refusal(period, lock) if lock else "",
        "comment_form": FigureCommentForm(region=region, initial={"period": period.pk, "next": request.get_full_path()},
                                          auto_id="comment-%s"),
    }
    return render(request, "reporting/figures/figure_grid.html", context)


def _mark_comments(user, region, period, rows) -> None:
    """Put on each grid cell how many comments its figure has and where their thread is (one query)."""
    counts = comment_counts(user=user, region=region, period=period)
    for row in rows:
        for cell in row["cells"]:
            key = (row["municipality"].pk, cell["indicator"].pk)
            cell["comments"] = counts.get(key, 0)
            if cell["comments"]:
                cell["thread_url"] = thread_url(region.pk, municipality_id=key[0], indicator_id=key[1],
                                                period_id=period.pk)


@login_required
def figure_history(request, region: int):
    require_role(request.user)
    region = selectors.history_region_for(request.user, region)
    narrowed = {}
    for param in ("indicator", "municipality", "period"):
        value = request.GET.get(param)
        # ASCII digits only: str.isdigit() also accepts '²', which int() refuses; and no id has 19 digits.
        narrowed[f"{param}_id"] = int(value) if value and re.fullmatch(r"[0-9]{1,18}", value) else None
    changes = selectors.figure_history(user=request.user, region=region, **narrowed)
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    comments = list(comments_for(user=request.user, region=region, **narrowed)[:COMMENTS_SHOWN])
    comment_form = None
    if all(value is not None for value in narrowed.values()):
        # One figure (present or missing): its thread takes a new comment.
        comment_form = FigureCommentForm(region=region, auto_id="comment-%s", initial={
            "municipality": narrowed["municipality_id"], "indicator": narrowed["indicator_id"],
            "period": narrowed["period_id"]})
        for name in ("municipality", "indicator"):
            comment_form.fields[name].widget = HiddenInput()
    return render(request, "reporting/figures/figure_history.html", {
        **figures_nav(request, region, "history"), "page": page, "query": query.urlencode(),
        "comments": comments, "comment_form": comment_form, "narrowed": any(v is not None for v in narrowed.values())})


COMMENTS_SHOWN = 100


COMPLETENESS_QUARTERS = 8  # two years of quarters up to the one that is due


@login_required
def figure_completeness(request, region: int):
    """Who has delivered what: organisation x quarter, x of y values in, by the rule of the tile and reminders."""
    require_role(request.user)
    region = region_for_figures(request.user, region)
    due = calendar.quarter_due()
    if due is None:
        raise Http404
    periods = selectors.quarters_up_to(due, COMPLETENESS_QUARTERS)
    table = completeness_table(region=region, periods=periods)
    return render(request, "reporting/figures/figure_completeness.html", {
        **figures_nav(request, region, "completeness"),
        "table": table,
        "due": due,
        "latest": table["deliveries"][-1],
    })
