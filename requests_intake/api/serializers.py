"""What a gateway posts and what it gets back."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from requests_intake.channels import CONTACT_LENGTH, EXTERNAL_ID_LENGTH, GATEWAY_CHANNELS


class InboundMessageSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=[(channel.value, channel.label) for channel in GATEWAY_CHANNELS],
        error_messages={
            "invalid_choice": _("“{input}” is not a gateway channel; use whatsapp, sms, email or web_chat.")
        },
    )
    contact = serializers.CharField(
        max_length=CONTACT_LENGTH, help_text=_("The sender's phone (any common form) or e-mail address.")
    )
    body = serializers.CharField(error_messages={"blank": _("The message is empty; nothing was stored.")})
    external_id = serializers.CharField(
        max_length=EXTERNAL_ID_LENGTH,
        help_text=_("The gateway's id for the message: posting it again returns the first answer."),
    )
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=250)
    language = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20, help_text=_("e.g. es or en-GB.")
    )


class ReceiptSerializer(serializers.Serializer):
    # Null only when BAJA/ALTA came from an address no request is known by.
    reference = serializers.CharField(source="request.reference", allow_null=True)
    status = serializers.CharField(source="request.status", allow_null=True)
    created = serializers.BooleanField(help_text=_("True when the message started a new request."))
    action = serializers.CharField(
        required=False,
        help_text=_("Only for a one-word reply, what it did: confirmed, moved, move_asked, opted_out or opted_in."),
    )

    def to_representation(self, instance):
        answer = super().to_representation(instance)
        if not answer.get("action"):
            answer.pop("action", None)  # an ordinary message's receipt stays as it always was
        return answer


class DeliveryReceiptSerializer(serializers.Serializer):
    provider_id = serializers.CharField(max_length=100, help_text=_("The id the provider gave the message it sent."))
    status = serializers.CharField(max_length=20, help_text=_("delivered, read or undelivered."))
    at = serializers.DateTimeField(required=False, help_text=_("When it happened; now, when not given."))
