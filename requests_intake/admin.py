from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from requests_intake.models import AidPlan, AidPlanLine, AidRequest, Household, Notification, Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "postcodes"]


@admin.register(Household)
class HouseholdAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "given_name", "document_number", "phone", "zone"]
    search_fields = ["family_name", "given_name", "document_number", "phone", "address"]
    list_filter = ["zone"]


@admin.register(AidRequest)
class AidRequestAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "household", "channel", "status", "received_at"]
    list_filter = ["status", "channel"]
    search_fields = ["reference", "household__family_name"]
    raw_id_fields = ["household"]


class AidPlanLineInline(admin.TabularInline):
    model = AidPlanLine
    extra = 0


@admin.register(AidPlan)
class AidPlanAdmin(admin.ModelAdmin):
    list_display = ["request", "priority", "first_delivery_on"]
    inlines = [AidPlanLineInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["request", "event", "channel", "status", "created_at"]
    list_filter = ["event", "status"]
