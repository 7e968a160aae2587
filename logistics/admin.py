from django.contrib import admin

from logistics.models import DeliveryDay, DeliveryOrder, DeliveryOrderLine, LocalHoliday, Vehicle


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["name", "plate", "depot", "driver", "capacity_kg", "is_available"]


class DeliveryOrderLineInline(admin.TabularInline):
    # Read only: editing lines here would leave the stock held for the old packs; the order's change page
    # (logistics.changes.order_change_packs) releases and reserves again.
    model = DeliveryOrderLine
    extra = 0
    readonly_fields = ["pack", "quantity"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DeliveryOrder)
class DeliveryOrderAdmin(admin.ModelAdmin):
    list_display = ["pk", "household", "due_date", "priority", "status"]
    list_filter = ["status", "due_date"]
    inlines = [DeliveryOrderLineInline]
    raw_id_fields = ["household", "plan"]


@admin.register(DeliveryDay)
class DeliveryDayAdmin(admin.ModelAdmin):
    list_display = ["weekday", "zone", "warehouse"]
    list_filter = ["weekday", "zone", "warehouse"]


@admin.register(LocalHoliday)
class LocalHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
