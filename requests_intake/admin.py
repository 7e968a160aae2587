from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.sheets import DefusedCSV, DefusedXLSX
from requests_intake.models import (
    AidPlan,
    AidPlanLine,
    AidRequest,
    Household,
    HouseholdAbsence,
    HouseholdMember,
    Notification,
    PackRule,
    Pharmacy,
    PharmacyHours,
    RequestMessage,
    Zone,
)
from requests_intake.notifications import notifications_resend
from requests_intake.pharmacies import Span, pharmacy_hours_check
from requests_intake.resources import HouseholdResource, OfficeCSV, OfficeXLSX


@admin.register(HouseholdAbsence)
class HouseholdAbsenceAdmin(admin.ModelAdmin):
    list_display = ["household", "starts_on", "ends_on", "note"]
    raw_id_fields = ["household"]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "postcodes"]
    filter_horizontal = ["social_workers"]


@admin.register(PackRule)
class PackRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "min_members", "max_members", "child_under_years", "need", "pack", "quantity", "every_nth"]
    list_editable = ["quantity", "every_nth"]
    list_filter = ["active"]


class PharmacyHoursFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # Each row's own check is the model's clean; two rows of one weekday that overlap are the pages' rule too.
        pharmacy_hours_check(
            [
                Span(form.cleaned_data["weekday"], form.cleaned_data["opens"], form.cleaned_data["closes"])
                for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
        )


class PharmacyHoursInline(admin.TabularInline):
    model = PharmacyHours
    formset = PharmacyHoursFormSet
    extra = 0


@admin.register(Pharmacy)
class PharmacyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "address", "phone", "active"]
    list_filter = ["active"]
    search_fields = ["name", "address"]
    inlines = [PharmacyHoursInline]


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


@admin.register(Household)
class HouseholdAdmin(ImportExportMixin, SimpleHistoryAdmin):
    """Import is checked like the import page (preview first, then all or nothing); export by django-import-export."""

    list_display = ["family_name", "given_name", "document_number", "phone", "zone"]
    search_fields = ["family_name", "given_name", "document_number", "phone", "address"]
    list_filter = ["zone"]
    inlines = [HouseholdMemberInline]
    resource_classes = [HouseholdResource]
    import_formats = [OfficeCSV, OfficeXLSX]
    export_formats = [DefusedCSV, DefusedXLSX]

    def has_import_permission(self, request):
        return request.user.has_perm("requests_intake.add_household")

    def has_export_permission(self, request):
        return request.user.has_perm("requests_intake.export_household")

    def process_result(self, result, request):
        # A row that went wrong after the preview rolled the whole import back: say so, not "imported".
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                gettext_lazy("The file has errors now; nothing was imported. Import it again to see them."),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:requests_intake_household_import"))
        return super().process_result(result, request)


@admin.register(AidRequest)
class AidRequestAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "household", "channel", "status", "zone", "received_at"]
    list_filter = ["status", "channel", "zone"]
    search_fields = ["reference", "household__family_name"]
    raw_id_fields = ["household"]


@admin.register(RequestMessage)
class RequestMessageAdmin(admin.ModelAdmin):
    list_display = ["request", "direction", "channel", "sender", "created_at"]
    raw_id_fields = ["request"]


class AidPlanLineInline(admin.TabularInline):
    model = AidPlanLine
    extra = 0


@admin.register(AidPlan)
class AidPlanAdmin(SimpleHistoryAdmin):
    list_display = ["request", "priority", "first_delivery_on", "repeat_every_days", "valid_until", "paused_at"]
    inlines = [AidPlanLineInline]


@admin.action(description=gettext_lazy("Resend the failed messages"), permissions=["change"])
def notifications_resend_action(modeladmin, request, queryset):
    count = notifications_resend(notifications=queryset)
    modeladmin.message_user(
        request,
        ngettext("%(count)d failed message queued again.", "%(count)d failed messages queued again.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["request", "event", "channel", "status", "attempts", "created_at"]
    list_filter = ["event", "status"]
    actions = [notifications_resend_action]
