from django import forms
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from inventory.limits import MAX_UNITS_PER_PACK_COMPONENT
from inventory.models import (
    Budget,
    BudgetAlert,
    Item,
    Location,
    Pack,
    PackComponent,
    PurchaseOrder,
    PurchaseOrderDocument,
    PurchaseOrderLine,
    Receiving,
    Reservation,
    StockAlert,
    StockBalance,
    StockCount,
    StockLot,
    StockMovement,
    Supplier,
    Warehouse,
)


class PackComponentForm(forms.ModelForm):
    # Reservations multiply this by the packs of every order: a bound here keeps their sums far from overflow.
    quantity = forms.IntegerField(label=capfirst(_("quantity")), min_value=1, max_value=MAX_UNITS_PER_PACK_COMPONENT)

    class Meta:
        model = PackComponent
        fields = ["item", "quantity"]


class PackComponentInline(admin.TabularInline):
    model = PackComponent
    form = PackComponentForm
    extra = 0


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "size", "programme", "stock_item"]
    list_filter = ["programme"]
    inlines = [PackComponentInline]


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["sku", "name", "category", "unit_cost", "vat_rate", "weight_kg", "volume_l", "safety_stock"]
    list_filter = ["category", "cold_chain", "vat_rate"]
    search_fields = ["sku", "name", "name_en"]
    # The "History" page: every unit cost the item had, who set it and when.
    history_list_display = ["unit_cost", "vat_rate"]


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


@admin.register(Warehouse)
class WarehouseAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "address"]
    inlines = [LocationInline]


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "lead_time_days", "contact", "email", "language"]
    list_filter = ["kind", "language"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Stock and its paperwork change only through the services (and their pages), never by hand here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PurchaseOrderLineInline(admin.TabularInline):
    model = PurchaseOrderLine
    extra = 0

    # Inlines of a read-only admin stay read-only too.
    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReadOnlyAdmin):
    list_display = ["reference", "supplier", "warehouse", "status", "expected_on"]
    list_filter = ["status"]
    inlines = [PurchaseOrderLineInline]


@admin.register(StockLot)
class StockLotAdmin(ReadOnlyAdmin):
    list_display = ["lot_code", "item", "warehouse", "expiry_date", "source", "supplier", "unit_cost"]
    list_filter = ["warehouse", "source"]
    search_fields = ["lot_code", "item__sku"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "lot", "kind", "quantity", "reason", "order"]
    list_filter = ["kind", "reason"]


@admin.register(PurchaseOrderDocument)
class PurchaseOrderDocumentAdmin(ReadOnlyAdmin):
    list_display = ["purchase_order", "file_name", "sent_to", "sent_at", "sent_by"]
    exclude = ["content"]


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "programme", "amount", "note"]
    list_filter = ["year", "programme"]


admin.site.register([Reservation, StockBalance, Receiving, StockAlert, StockCount, BudgetAlert], ReadOnlyAdmin)
