from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Stable pages while rows are added: the next page starts after the last row seen, not at an offset."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"

    def decode_cursor(self, request):
        # DRF answers a cursor it cannot read with 404, as if the list were missing; it is a wrong parameter.
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError(
                {self.cursor_query_param: [_("This cursor is not one the API gave; start again without it.")]},
                code="invalid_cursor",
            ) from exc
