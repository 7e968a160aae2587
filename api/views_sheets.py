"""Spreadsheets through the API: the catalogue (items; packs with their components) exported and imported, and the
orders of a period and zone exported. The work is the domain's (inventory.catalogue_sheets, reports.orders_export);
these views read the query or the upload, check the role, and answer the file or the import's summary.

An import that finds errors answers 400 in the one error shape, with `rows` listing each error's row, column (as
the file names them) and code: nothing was imported then."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ErrorShapeMixin, error_body
from api.idempotency import IdempotentPostMixin
from api.permissions import TokenScope, needs, needs_any
from api.views import AUTHENTICATION
from inventory import catalogue_sheets
from reports.orders_export import orders_export
from requests_intake.models import Zone

FILE_TYPES = {
    "csv": catalogue_sheets.CONTENT_TYPES["csv"].split(";")[0],
    "xlsx": catalogue_sheets.CONTENT_TYPES["xlsx"],
}
FILE_RESPONSES = {(200, content_type): OpenApiTypes.BINARY for content_type in FILE_TYPES.values()}
FORMAT_CHOICES = [("csv", "CSV"), ("xlsx", "XLSX")]
FORMAT_ERRORS = {"invalid_choice": gettext_lazy("“{input}” is not a file format; use csv or xlsx.")}
DATE_ERRORS = {"invalid": gettext_lazy("Give the date as YYYY-MM-DD.")}
FILE_FORMAT = OpenApiParameter("file_format", str, enum=["csv", "xlsx"], description="csv (the default) or xlsx")


class SheetView(ErrorShapeMixin, IdempotentPostMixin, APIView):
    authentication_classes = AUTHENTICATION

    def perform_content_negotiation(self, request, force=False):
        # A file is answered whatever the Accept header says; errors come in JSON.
        return super().perform_content_negotiation(request, force=True)


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class FormatQuery(serializers.Serializer):
    file_format = serializers.ChoiceField(choices=FORMAT_CHOICES, default="csv", error_messages=FORMAT_ERRORS)


# The catalogue ----------------------------------------------------------------------------------------------

EXPORTS = {"items": catalogue_sheets.items_export, "packs": catalogue_sheets.packs_export}
IMPORTS = {"items": catalogue_sheets.items_import, "packs": catalogue_sheets.packs_import}
# Items carry their costs: those who read items. Packs also to those who read them (social workers approve them).
EXPORT_PERMISSIONS = {"items": ("inventory.view_item",), "packs": ("inventory.view_item", "inventory.view_pack")}
# Who may change the catalogue: those who may add and change its rows (supplier coordinators).
IMPORT_PERMISSIONS = {
    "items": ("inventory.add_item", "inventory.change_item"),
    "packs": ("inventory.add_pack", "inventory.change_pack"),
}


class CatalogueExportView(SheetView):
    """The catalogue as a sheet, in the columns its import reads: items, or packs (one row per component)."""

    kind = "items"

    def get_permissions(self):
        return [IsAuthenticated(), TokenScope(), needs_any(*EXPORT_PERMISSIONS[self.kind])()]

    @extend_schema(parameters=[FILE_FORMAT], responses=FILE_RESPONSES)
    def get(self, request):
        query = FormatQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return _file(*EXPORTS[self.kind](file_format=query.validated_data["file_format"]))


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("A .csv or .xlsx file, as the export writes it."))
    dry_run = serializers.BooleanField(default=False, help_text=gettext_lazy("Check every row and save nothing."))


class ImportSummarySerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text=gettext_lazy("Data rows read"))
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    dry_run = serializers.BooleanField()


class SheetRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        help_text=gettext_lazy("As the spreadsheet numbers it: the header is row 1; 0 is the file")
    )
    column = serializers.CharField(help_text=gettext_lazy("As the file names it; empty for the whole row"))
    code = serializers.CharField()
    message = serializers.CharField()


class ImportRefusedErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    rows = SheetRowErrorSerializer(many=True, required=False)


class ImportRefusedSerializer(serializers.Serializer):
    error = ImportRefusedErrorSerializer()


class CatalogueImportView(SheetView):
    """Create or update items (by SKU) or packs (by code, with their components) from a sheet, all or nothing."""

    kind = "items"
    parser_classes = [MultiPartParser, FormParser]

    def get_permissions(self):
        return [IsAuthenticated(), TokenScope(), needs(*IMPORT_PERMISSIONS[self.kind])()]

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={
            200: ImportSummarySerializer,
            400: OpenApiResponse(ImportRefusedSerializer, description="The file had errors; nothing was imported"),
        },
    )
    def post(self, request):
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        # One byte past the bound is enough for the reader to refuse the file as too large.
        content = file.read(catalogue_sheets.SHEET_LIMITS.max_bytes + 1)
        try:
            summary = IMPORTS[self.kind](
                actor=request.user,
                content=content,
                file_name=file.name or "upload.csv",
                dry_run=upload.validated_data["dry_run"],
            )
        except catalogue_sheets.CatalogueImportRefused as refused:
            return Response(_refused_body(refused), status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportSummarySerializer(summary).data)


def _refused_body(refused: catalogue_sheets.CatalogueImportRefused) -> dict:
    errors = refused.errors
    body = error_body(
        errors[0].code if len(errors) == 1 else "import_refused",
        str(errors[0])
        if len(errors) == 1
        else _("The file has %(count)s errors; nothing was imported.") % {"count": len(errors)},
    )
    body["error"]["rows"] = [
        {"row": error.row, "column": error.column, "code": error.code, "message": error.message} for error in errors
    ]
    return body


# Orders -----------------------------------------------------------------------------------------------------


class OrdersExportQuery(FormatQuery):
    date_from = serializers.DateField(error_messages=DATE_ERRORS)
    date_to = serializers.DateField(error_messages=DATE_ERRORS)
    zone = serializers.PrimaryKeyRelatedField(
        queryset=Zone.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": gettext_lazy("There is no zone with id {pk_value}.")},
    )


class OrdersExportView(SheetView):
    """The orders due in a period (at most 366 days), of one zone or of every zone the caller sees, with how each
    delivery ended ("nómina de ayudas"): whoever reads the orders page."""

    def get_permissions(self):
        return [IsAuthenticated(), TokenScope(), needs("logistics.view_deliveryorder")()]

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("date_to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("zone", int, description="A zone's id; every zone the caller sees when left out"),
            FILE_FORMAT,
        ],
        responses=FILE_RESPONSES,
    )
    def get(self, request):
        query = OrdersExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return _file(
            *orders_export(
                user=request.user,
                date_from=data["date_from"],
                date_to=data["date_to"],
                zone=data.get("zone"),
                file_format=data["file_format"],
            )
        )
