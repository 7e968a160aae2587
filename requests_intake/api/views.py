"""The inbound webhook: gateways post the messages people send by WhatsApp, SMS, e-mail or web chat."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from requests_intake.api.permissions import CanReceiveMessages
from requests_intake.api.serializers import DeliveryReceiptSerializer, InboundMessageSerializer, ReceiptSerializer
from requests_intake.api.throttles import webhook_rate_check
from requests_intake.channels import message_receive
from requests_intake.conversations import notification_receipt_record


class MessageReceiveView(APIView):
    """POST a message: 201 with the request's reference, status and whether it was created; 200 for a repeat."""

    # Tokens only: a gateway has no browser session, and no session may post on its behalf.
    authentication_classes = [TokenAuthentication]
    permission_classes = [CanReceiveMessages]

    def initial(self, request, *args, **kwargs):
        # Counted before the token is looked up: a flood of wrong tokens is turned away as cheaply as a real one.
        webhook_rate_check(request, self)
        super().initial(request, *args, **kwargs)

    def post(self, request):
        message = InboundMessageSerializer(data=request.data)
        message.is_valid(raise_exception=True)
        try:
            receipt = message_receive(**message.validated_data)
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise serializers.ValidationError(exc.message_dict) from exc
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages}) from exc
        answer = status.HTTP_200_OK if receipt.replayed else status.HTTP_201_CREATED
        return Response(ReceiptSerializer(receipt).data, status=answer)


class DeliveryReceiptView(APIView):
    """POST a provider's delivery receipt for a message it sent: 200 with what the message's record now says."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [CanReceiveMessages]

    def initial(self, request, *args, **kwargs):
        webhook_rate_check(request, self)
        super().initial(request, *args, **kwargs)

    def post(self, request):
        receipt = DeliveryReceiptSerializer(data=request.data)
        receipt.is_valid(raise_exception=True)
        data = receipt.validated_data
        try:
            notification = notification_receipt_record(
                provider_id=data["provider_id"], receipt=data["status"], at=data.get("at")
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response({"provider_id": notification.provider_id, "receipt": notification.receipt})
