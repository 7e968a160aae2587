from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Stable pages while rows are added: the next page starts after the last row seen, not at an offset."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"
