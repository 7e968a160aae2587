"""Errors in an imported spreadsheet, named the way the person sees the sheet: row number and column header."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SheetError:
    row: int  # as the spreadsheet numbers it (the header is row 1); 0 for the file as a whole
    column: str  # as the file names it; empty when the error is about the whole row
    message: str
    field: str = ""  # the model field the column fills, where an admin error table needs it

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if self.column:
            return _("row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


class SheetRefused(ValidationError):
    """The sheet had errors; `errors` lists each one and nothing was imported."""

    def __init__(self, errors: list[SheetError]):
        self.errors = errors
        super().__init__([str(error) for error in errors] + [_("Nothing was imported.")])
