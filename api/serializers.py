"""What the v1 API reads and writes. Writes go through the domain services; these only shape and check input."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.models import WebhookDelivery
from delivery.models import Round, Stop
from inventory.models import Pack, StockAlert, Supplier
from logistics.models import DeliveryOrder, DeliveryOrderLine
from requests_intake.models import AidPlan, AidPlanLine, AidRequest, Household, HouseholdMember, Pharmacy, RejectionCode
from requests_intake.models.requests import Channel, Need, Priority


# DRF drops a read-only field's allow_blank, so the schema promised a channel, a failure reason, a referral source
# or an e-mail where the answer holds "" (found by schemathesis on real rows). Every serializer here that answers
# is built on this one, which keeps it.
class ModelSerializer(serializers.ModelSerializer):
    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


# Seen only by those holding requests_intake.view_vulnerability (social workers, managers), as on the pages.
VULNERABILITY_FIELDS = ("vulnerabilities",)

HOUSEHOLD_FIELDS = [
    "id",
    "given_name",
    "family_name",
    "birth_date",
    "document_type",
    "document_number",
    "phone",
    "email",
    "language",
    "address",
    "postcode",
    "municipality",
    "zone",
    "latitude",
    "longitude",
    "access_notes",
    "members",
    "consent_on",
    "consent_scope",
    "reduced_mobility",
    "diets",
    "preferred_days",
    "preferred_from",
    "preferred_until",
    "same_driver",
    "created_at",
]


class MemberSerializer(ModelSerializer):
    class Meta:
        model = HouseholdMember
        fields = ["id", "given_name", "family_name", "birth_date", "relationship"]


class HouseholdSerializer(ModelSerializer):
    """A household as an intake operator sees it: no vulnerability."""

    people = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = [*HOUSEHOLD_FIELDS, "people"]
        read_only_fields = ["id", "created_at", "people"]


class HouseholdAssessedSerializer(HouseholdSerializer):
    """A household as a social worker or manager sees it: with its vulnerability."""

    class Meta(HouseholdSerializer.Meta):
        fields = [*HOUSEHOLD_FIELDS, *VULNERABILITY_FIELDS, "people"]


class HouseholdCreateSerializer(ModelSerializer):
    """What `household_create` takes; it checks the document and phone and places the household in its zone."""

    class Meta:
        model = Household
        fields = [f for f in HOUSEHOLD_FIELDS if f not in ("id", "created_at")]
        # The uniqueness of the document is the service's to say (with its own message), not the serializer's.
        validators = []


class AidRequestSerializer(ModelSerializer):
    class Meta:
        model = AidRequest
        fields = [
            "id",
            "reference",
            "household",
            "channel",
            "referral_source",
            "contact",
            "preferred_channel",
            "language",
            "needs",
            "description",
            "priority",
            "zone",
            "status",
            "received_at",
            "decided_at",
            "rejection_code",
            "rejection_reason",
            "referred_to",
            "information_needed",
        ]
        read_only_fields = fields


class AidRequestCreateSerializer(serializers.Serializer):
    """What `aid_request_register` takes (the intake pages' service)."""

    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.filter(merged_into__isnull=True),
        error_messages={"does_not_exist": _("There is no household with id {pk_value}.")},
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=Need.choices), allow_empty=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.NORMAL)
    referral_source = serializers.CharField(required=False, allow_blank=True, default="", max_length=10)
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    language = serializers.CharField(required=False, allow_blank=True, default="", max_length=5)


class PackQuantitySerializer(serializers.Serializer):
    pack = serializers.PrimaryKeyRelatedField(
        queryset=Pack.objects.all(), error_messages={"does_not_exist": _("There is no pack with id {pk_value}.")}
    )
    quantity = serializers.IntegerField(min_value=1, max_value=1000)
    every_nth = serializers.IntegerField(min_value=1, max_value=52, required=False, default=1)


class ApproveSerializer(serializers.Serializer):
    """What `aid_request_approve` takes, as the assessment page's approval form gives it."""

    packs = PackQuantitySerializer(many=True, allow_empty=False)
    priority = serializers.ChoiceField(choices=Priority.choices)
    first_delivery_on = serializers.DateField()
    repeat_every_days = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    repeat_until = serializers.DateField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    pharmacy = serializers.PrimaryKeyRelatedField(
        queryset=Pharmacy.objects.filter(active=True), required=False, allow_null=True, default=None
    )
    prescription_ref = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    pickup = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()
    code = serializers.ChoiceField(choices=RejectionCode.choices, required=False, default=RejectionCode.OTHER)


class ReferSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=200)


class AskInformationSerializer(serializers.Serializer):
    what = serializers.CharField()


class AidPlanLineSerializer(ModelSerializer):
    class Meta:
        model = AidPlanLine
        fields = ["pack", "quantity", "every_nth"]


class AidPlanSerializer(ModelSerializer):
    lines = AidPlanLineSerializer(many=True, read_only=True)
    household = serializers.IntegerField(source="request.household_id", read_only=True)

    class Meta:
        model = AidPlan
        fields = [
            "id",
            "request",
            "household",
            "priority",
            "first_delivery_on",
            "repeat_every_days",
            "repeat_until",
            "valid_until",
            "paused_at",
            "pickup",
            "pharmacy",
            "prescription_ref",
            "notes",
            "created_at",
            "lines",
        ]
        read_only_fields = fields


class OrderLineSerializer(ModelSerializer):
    class Meta:
        model = DeliveryOrderLine
        fields = ["pack", "quantity"]


class DeliveryOrderSerializer(ModelSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    zone = serializers.IntegerField(source="household.zone_id", read_only=True, allow_null=True)

    class Meta:
        model = DeliveryOrder
        fields = [
            "id",
            "plan",
            "household",
            "zone",
            "warehouse",
            "due_date",
            "priority",
            "window_start",
            "window_end",
            "status",
            "mode",
            "failed_attempts",
            "notes",
            "created_at",
            "lines",
        ]
        read_only_fields = fields


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class StopSerializer(ModelSerializer):
    class Meta:
        model = Stop
        fields = ["id", "round", "order", "kind", "sequence", "arrival_at", "outcome", "failure_reason", "recorded_at"]
        read_only_fields = fields


class RoundSerializer(ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "run", "date", "vehicle", "driver", "depot", "start_at", "end_at", "distance_m"]
        read_only_fields = fields


class PlanningRunSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField(read_only=True)
    status = serializers.CharField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)


class SupplierSerializer(ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["id", "name", "kind", "tax_id", "contact", "email", "phone", "lead_time_days"]
        read_only_fields = fields


class StockAlertSerializer(ModelSerializer):
    class Meta:
        model = StockAlert
        fields = [
            "id",
            "kind",
            "key",
            "item",
            "warehouse",
            "lot",
            "on_date",
            "quantity",
            "status",
            "first_seen",
            "last_seen",
        ]
        read_only_fields = fields


class WebhookDeliverySerializer(ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "subscription",
            "event",
            "payload",
            "status",
            "attempts",
            "response_code",
            "next_try_at",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields


class RescheduleSerializer(serializers.Serializer):
    """What `order_reschedule` takes, as the order change page gives it."""

    due_date = serializers.DateField()
    window_start = serializers.TimeField(required=False, allow_null=True, default=None)
    window_end = serializers.TimeField(required=False, allow_null=True, default=None)
    mode = serializers.ChoiceField(choices=DeliveryOrder.Mode.choices, required=False, allow_null=True, default=None)
    why = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class OrderCancelSerializer(serializers.Serializer):
    """What `order_call_off` takes: a reason code and, if wanted, a note."""

    reason = serializers.ChoiceField(choices=DeliveryOrder.CancelReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
