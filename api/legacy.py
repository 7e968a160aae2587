"""The inventory API and the gateway webhook, as they are at their first paths, also under /api/v1/ where
integration tokens and Idempotency-Key work too. Same views, same permissions: only the doors are added."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from api.authentication import ApiTokenAuthentication
from api.errors import ErrorShapeMixin
from api.idempotency import IdempotentPostMixin
from api.permissions import TokenScope
from inventory.api import views as inventory
from inventory.api.permissions import CanViewStock, RolePermissions
from inventory.api.serializers import StockRowSerializer
from requests_intake.api.permissions import CanReceiveMessages
from requests_intake.api.serializers import InboundMessageSerializer, ReceiptSerializer
from requests_intake.api.views import MessageReceiveView

AUTHENTICATION = [ApiTokenAuthentication, TokenAuthentication, SessionAuthentication]


class ItemViewSet(ErrorShapeMixin, IdempotentPostMixin, inventory.ItemViewSet):
    authentication_classes = AUTHENTICATION
    permission_classes = [TokenScope, RolePermissions]


class LotViewSet(ErrorShapeMixin, IdempotentPostMixin, inventory.LotViewSet):
    authentication_classes = AUTHENTICATION
    permission_classes = [TokenScope, *inventory.LotViewSet.permission_classes]


class MovementViewSet(ErrorShapeMixin, IdempotentPostMixin, inventory.MovementViewSet):
    authentication_classes = AUTHENTICATION
    permission_classes = [TokenScope, *inventory.MovementViewSet.permission_classes]


class PurchaseOrderViewSet(ErrorShapeMixin, IdempotentPostMixin, inventory.PurchaseOrderViewSet):
    authentication_classes = AUTHENTICATION
    permission_classes = [TokenScope, *inventory.PurchaseOrderViewSet.permission_classes]


class StockView(ErrorShapeMixin, IdempotentPostMixin, inventory.StockView):
    authentication_classes = AUTHENTICATION
    permission_classes = [TokenScope, CanViewStock]

    @extend_schema(
        parameters=[
            OpenApiParameter("warehouse", int),
            OpenApiParameter("item", int),
            OpenApiParameter("on", OpenApiTypes.DATE),
        ],
        responses={200: StockRowSerializer(many=True)},
    )
    def get(self, request):
        return super().get(request)


class MessageReceiveV1View(ErrorShapeMixin, IdempotentPostMixin, MessageReceiveView):
    """The gateway webhook; a webhook-only integration token may post here (and nowhere else)."""

    gateway_endpoint = True
    authentication_classes = [ApiTokenAuthentication, TokenAuthentication]
    permission_classes = [TokenScope, CanReceiveMessages]

    @extend_schema(request=InboundMessageSerializer, responses={200: ReceiptSerializer, 201: ReceiptSerializer})
    def post(self, request):
        return super().post(request)
