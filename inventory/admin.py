from django.contrib import admin

from inventory.models import Item, Pack, PackComponent, Reservation, StockLot, StockMovement, Warehouse


class PackComponentInline(admin.TabularInline):
    model = PackComponent
    extra = 0


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    inlines = [PackComponentInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "category", "weight_kg", "volume_l"]


admin.site.register(Warehouse)
admin.site.register(StockLot)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger is changed only by services, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "lot", "kind", "quantity", "order"]
    list_filter = ["kind"]


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ["order", "item", "quantity", "status"]
