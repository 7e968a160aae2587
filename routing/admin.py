from django.contrib import admin

from routing.models import PlanningRun


@admin.register(PlanningRun)
class PlanningRunAdmin(admin.ModelAdmin):
    list_display = ["date", "status", "created_at", "total_distance_m"]
