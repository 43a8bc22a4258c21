"""Reads of figure imports, scoped to the user: what is out of scope does not exist."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from programme.access import scope_of
from programme.models import Region
from reporting.figures.access import regions_for_entry
from reporting.models import FigureImport, FigureImportStatus, ImportRow, ImportRowAction


def imports_visible_to(user) -> QuerySet[FigureImport]:
    """Imports of the user's regions: everyone of the region may read what came in, and how."""
    scope = scope_of(user)
    qs = FigureImport.objects.select_related("region", "uploaded_by", "undone_by").defer("content")
    if scope.is_superuser:
        return qs
    return qs.filter(region_id__in=scope.region_ids)


def regions_for_upload(user) -> QuerySet[Region]:
    """Regions the user may bring a file in for: those where they enter at least one figure."""
    return Region.objects.filter(pk__in=[region.pk for region in regions_for_entry(user)])


def import_for(user, pk: int) -> FigureImport:
    return get_object_or_404(imports_visible_to(user), pk=pk)


def import_rows(figure_import: FigureImport, action: str) -> QuerySet[ImportRow]:
    return (
        ImportRow.objects.filter(figure_import=figure_import, action=action)
        .select_related("organisation", "indicator", "period", "violence_form")
        .order_by("line", "pk")
    )


ROWS_PER_PAGE = 100


class _CountedPaginator(Paginator):
    """A paginator told how many rows there are: the import keeps its count per kind of row, so the page needs no
    COUNT over the staging table (which would run the rows query a second time)."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def import_rows_page(figure_import: FigureImport, action: str, number) -> Page:
    """One page of the rows of one kind, in file order: one query, which reads the first rows of that kind from the
    staging table's index (import, kind, line) instead of sorting every staged row."""
    # A discarded import's rows are gone; its counts stay, to say what the file held.
    count = 0 if figure_import.status == FigureImportStatus.DISCARDED else row_counts(figure_import)[action]
    return _CountedPaginator(import_rows(figure_import, action), ROWS_PER_PAGE, count=count).get_page(number)


def row_counts(figure_import: FigureImport) -> dict:
    """Rows per result, in the order the preview lists them: what needs a decision first, then what happens."""
    return {
        ImportRowAction.REJECTED: figure_import.rejected_count, ImportRowAction.CREATE: figure_import.created_count,
        ImportRowAction.UPDATE: figure_import.updated_count, ImportRowAction.UNCHANGED: figure_import.unchanged_count,
        ImportRowAction.SKIPPED: figure_import.skipped_count, ImportRowAction.OUTSIDE: figure_import.outside_count,
        ImportRowAction.NOT_MUNICIPALITY: figure_import.not_municipality_count,
    }
