from django.contrib import admin

from routing.models import PlanningRun, Round, Stop


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0
    raw_id_fields = ["order"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["date", "vehicle", "driver", "distance_m"]
    inlines = [StopInline]


@admin.register(PlanningRun)
class PlanningRunAdmin(admin.ModelAdmin):
    list_display = ["date", "status", "created_at", "total_distance_m"]
