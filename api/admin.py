from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.models import ApiToken, WebhookDelivery, WebhookSubscription
from api.tokens import api_token_create, api_token_revoke
from api.webhooks import webhook_replay


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("name"),
        max_length=80,
        help_text=gettext_lazy("The integration that will use it, e.g. “telephony” or “BI dashboards”."),
    )
    scope = forms.ChoiceField(label=gettext_lazy("scope"), choices=ApiToken.Scope.choices)
    user = forms.ModelChoiceField(
        label=gettext_lazy("acts as"),
        queryset=get_user_model().objects.none(),
        help_text=gettext_lazy("The token never reaches more than this account's role, and less if its scope says so."),
    )

    def __init__(self, *args, creator, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True, is_superuser=False).order_by("username")
        # Only an administrator makes tokens for other accounts (a gateway's, an intake operator's): anyone else's
        # token acting as someone else would reach that person's rights.
        self.fields["user"].queryset = users if creator.is_superuser else users.filter(pk=creator.pk)
        if not creator.is_superuser:
            self.fields["user"].initial = creator.pk


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The token manager: make a scoped token (its key shown once), see every token's last use, revoke.

    An administrator manages every token; anyone else with the API token permissions (managers, when they are
    staff) makes and revokes tokens acting as themselves only."""

    list_display = ["name", "scope", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    readonly_fields = ["name", "scope", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = readonly_fields
    actions = ["revoke"]

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        # Nothing of a token is edited; "change" is the right to revoke (the action below).
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a revoked token stays listed, with when it was revoked

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenCreateForm(request.POST or None, creator=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                token, key = api_token_create(
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    username=form.cleaned_data["user"].username,
                )
            except ValidationError as refusal:
                for field, errors in refusal.error_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                response = TemplateResponse(
                    request,
                    "admin/api/apitoken/created.html",
                    {**self.admin_site.each_context(request), "opts": self.opts, "token": token, "key": key},
                )
                # The key is in this page only: no cache, no back button showing it again.
                response["Cache-Control"] = "no-store"
                return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("Make an API token"),
        }
        return TemplateResponse(request, "admin/api/apitoken/add.html", context)

    @admin.action(description=gettext_lazy("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(name=token.name)
        self.message_user(request, _("The tokens stop working now."), messages.SUCCESS)

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("api.change_apitoken")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "events", "active", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "status", "attempts", "response_code", "next_try_at", "created_at"]
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["replay"]

    @admin.action(description=gettext_lazy("Send the selected deliveries again"))
    def replay(self, request, queryset):
        for delivery in queryset:
            webhook_replay(delivery=delivery)
        self.message_user(request, _("Deliveries queued to be sent again."), messages.SUCCESS)
