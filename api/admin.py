from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken, WebhookDelivery, WebhookSubscription
from api.webhooks import webhook_replay


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    # Made with `manage.py api_token create` (the key is shown once); here they are read and revoked.
    list_display = ["name", "scope", "user", "prefix", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "scope", "user", "prefix", "created_at", "last_used_at"]
    fields = [*readonly_fields, "revoked_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "events", "active", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "status", "attempts", "response_code", "next_try_at", "created_at"]
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["replay"]

    @admin.action(description=_("Send the selected deliveries again"))
    def replay(self, request, queryset):
        for delivery in queryset:
            webhook_replay(delivery=delivery)
        self.message_user(request, _("Deliveries queued to be sent again."), messages.SUCCESS)
