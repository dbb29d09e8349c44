from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Cursor pages by id: constant cost on any table size, no COUNT(*)."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
