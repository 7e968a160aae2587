from django.contrib import admin

from logistics.models import DeliveryOrder, DeliveryOrderLine, Vehicle


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["name", "plate", "depot", "driver", "capacity_kg", "is_available"]


class DeliveryOrderLineInline(admin.TabularInline):
    model = DeliveryOrderLine
    extra = 0


@admin.register(DeliveryOrder)
class DeliveryOrderAdmin(admin.ModelAdmin):
    list_display = ["pk", "household", "due_date", "priority", "status"]
    list_filter = ["status", "due_date"]
    inlines = [DeliveryOrderLineInline]
    raw_id_fields = ["household", "plan"]
