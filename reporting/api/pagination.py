"""Page-number paging with a cap: `?page=2&page_size=500`, at most MAX_PAGE_SIZE rows per page."""

from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 1000


class ApiPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
