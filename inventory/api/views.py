"""The inventory API: items, stock figures, lots, the ledger (read only) and purchase orders.

Every endpoint checks the role's Django model permissions (see permissions.py). Stock is never written here:
movements are read only, and a purchase order is created through the same service as the pages use."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from inventory.api.permissions import CanViewStock, RolePermissions
from inventory.api.serializers import (
    ItemSerializer,
    LotSerializer,
    MovementSerializer,
    PurchaseOrderInput,
    PurchaseOrderSerializer,
    StockRowSerializer,
)
from inventory.models import Item, PurchaseOrder, PurchaseOrderLine, StockLot, StockMovement, Warehouse
from inventory.purchasing import po_create
from inventory.selectors import available_by_item, on_hand_by_item, reserved_by_item

DATE_ERRORS = {"invalid": _("Give the date as YYYY-MM-DD.")}


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _warehouse_filter() -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Warehouse.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("There is no warehouse with id {pk_value}.")},
    )


def _item_filter() -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=Item.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("There is no item with id {pk_value}.")},
    )


class StockFilters(serializers.Serializer):
    warehouse = _warehouse_filter()
    item = _item_filter()
    on = serializers.DateField(required=False, error_messages=DATE_ERRORS)


class LotFilters(serializers.Serializer):
    warehouse = _warehouse_filter()
    item = _item_filter()
    expiring_before = serializers.DateField(required=False, error_messages=DATE_ERRORS)


class MovementFilters(serializers.Serializer):
    lot = serializers.PrimaryKeyRelatedField(
        queryset=StockLot.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("There is no lot with id {pk_value}.")},
    )
    kind = serializers.ChoiceField(
        choices=StockMovement.Kind.choices,
        required=False,
        error_messages={"invalid_choice": _("“{input}” is not a kind of movement.")},
    )
    date_from = serializers.DateField(required=False, error_messages=DATE_ERRORS)
    date_to = serializers.DateField(required=False, error_messages=DATE_ERRORS)

    def validate(self, attrs):
        if "date_from" in attrs and "date_to" in attrs and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError(
                {"date_to": [_("date_to is before date_from.")]}, code="date_range_reversed"
            )
        return attrs


def _filters(serializer_class, request) -> dict:
    """Query parameters checked like a form: a wrong one is a 400 that names it, never an ignored filter."""
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Items. Whoever may change items (supplier coordinators) may set safety stock and the preferred supplier."""

    queryset = Item.objects.order_by("sku")
    serializer_class = ItemSerializer
    permission_classes = [RolePermissions]
    pagination_class = Pages


class StockView(APIView):
    """On hand, reserved and available units per warehouse and item (available on `on`, today by default)."""

    permission_classes = [CanViewStock]

    def get(self, request):
        filters = _filters(StockFilters, request)
        on = filters.get("on") or timezone.localdate()
        item = filters.get("item")
        items = [item] if item else None
        warehouses = [filters["warehouse"]] if "warehouse" in filters else Warehouse.objects.order_by("name")
        rows = []
        for warehouse in warehouses:
            on_hand = on_hand_by_item(warehouse=warehouse, items=items)
            reserved = reserved_by_item(warehouse=warehouse, items=items)
            available = available_by_item(warehouse=warehouse, on=on, items=items)
            item_ids = on_hand.keys() | reserved.keys() | available.keys() | ({item.pk} if item else set())
            for each in Item.objects.filter(pk__in=item_ids).order_by("sku"):
                rows.append(
                    {
                        "warehouse": warehouse.pk,
                        "warehouse_code": warehouse.code,
                        "item": each.pk,
                        "sku": each.sku,
                        "on_hand": on_hand.get(each.pk, 0),
                        "reserved": reserved.get(each.pk, 0),
                        "available": available.get(each.pk, 0),
                    }
                )
        return Response(StockRowSerializer(rows, many=True).data)


class LotViewSet(viewsets.ReadOnlyModelViewSet):
    """Lots, first expiring first; filter by warehouse, item and expiring_before (lots without expiry never match)."""

    queryset = StockLot.objects.select_related("item", "warehouse", "location", "balance").order_by(
        F("expiry_date").asc(nulls_last=True), "pk"
    )
    serializer_class = LotSerializer
    permission_classes = [RolePermissions]
    pagination_class = Pages

    def filter_queryset(self, queryset):
        filters = _filters(LotFilters, self.request)
        if "warehouse" in filters:
            queryset = queryset.filter(warehouse=filters["warehouse"])
        if "item" in filters:
            queryset = queryset.filter(item=filters["item"])
        if "expiring_before" in filters:
            queryset = queryset.filter(expiry_date__lt=filters["expiring_before"])
        return queryset


class MovementViewSet(viewsets.ReadOnlyModelViewSet):
    """The stock ledger, read only: stock changes through the pages' services, never by writing movements here."""

    queryset = StockMovement.objects.select_related("lot__item", "created_by").order_by("-created_at", "-pk")
    serializer_class = MovementSerializer
    permission_classes = [RolePermissions]
    pagination_class = Pages

    def filter_queryset(self, queryset):
        filters = _filters(MovementFilters, self.request)
        if "lot" in filters:
            queryset = queryset.filter(lot=filters["lot"])
        if "kind" in filters:
            queryset = queryset.filter(kind=filters["kind"])
        # Dates are the local day the movement was recorded, both ends included.
        if "date_from" in filters:
            queryset = queryset.filter(created_at__date__gte=filters["date_from"])
        if "date_to" in filters:
            queryset = queryset.filter(created_at__date__lte=filters["date_to"])
        return queryset


class PurchaseOrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Purchase orders; creating one makes a draft through `po_create`."""

    queryset = PurchaseOrder.objects.select_related("supplier", "created_by").prefetch_related(
        Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("item").order_by("item__sku"))
    )
    serializer_class = PurchaseOrderSerializer
    permission_classes = [RolePermissions]
    pagination_class = Pages

    def get_serializer_class(self):
        # Creating takes supplier, warehouse and lines; the browsable API shows that shape in its form.
        return PurchaseOrderInput if self.action == "create" else PurchaseOrderSerializer

    def create(self, request, *args, **kwargs):
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            order = po_create(
                actor=request.user,
                supplier=data["supplier"],
                warehouse=data["warehouse"],
                lines=[(line["item"], line["quantity"]) for line in data["lines"]],
                expected_on=data.get("expected_on"),
                note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            # The service's refusals, each with its own code, as the answer's non-field errors.
            refusals = [*error.error_dict.values()] if hasattr(error, "error_dict") else [error.error_list]
            raise serializers.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        serializers.ErrorDetail(message, code=each.code)
                        for refused in refusals
                        for each in refused
                        for message in each.messages
                    ]
                }
            ) from error
        order = self.get_queryset().get(pk=order.pk)
        return Response(PurchaseOrderSerializer(order).data, status=status.HTTP_201_CREATED)
