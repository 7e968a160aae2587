from django.contrib import admin

from delivery.models import Round, Stop


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0
    raw_id_fields = ["order"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["date", "vehicle", "driver", "distance_m"]
    inlines = [StopInline]
