"""The v1 API: every resource through the services and permissions the pages use; the API adds no rule.

Authentication: an integration token (api.ApiToken, scoped), a person's DRF token, or the browser session."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.authentication import ApiTokenAuthentication
from api.errors import ErrorShapeMixin
from api.filters import (
    AidPlanFilter,
    AidRequestFilter,
    DeliveryOrderFilter,
    HouseholdFilter,
    RoundFilter,
    StockAlertFilter,
    StopFilter,
    SupplierFilter,
)
from api.idempotency import IdempotentPostMixin
from api.models import WebhookDelivery
from api.pagination import Cursor
from api.permissions import TokenScope, needs, needs_any
from api.serializers_changes import PackChangeSerializer
from api.webhooks import webhook_replay
from delivery.models import Round, Stop
from inventory.models import StockAlert, Supplier
from logistics.changes import order_call_off, order_change_packs, order_reschedule
from logistics.models import DeliveryOrder
from logistics.views_changes import MAY_CHANGE
from requests_intake import decisions
from requests_intake.models import AidPlan, AidRequest, Household
from requests_intake.services import aid_request_register, household_create
from requests_intake.zone_access import in_zone_ids, in_zones, zone_ensure_open, zone_ids_for
from routing.board import run_publish
from routing.models import PlanningRun

AUTHENTICATION = [ApiTokenAuthentication, TokenAuthentication, SessionAuthentication]
VULNERABILITY = "requests_intake.view_vulnerability"
ERRORS = {
    400: OpenApiResponse(description="Invalid input: {error: {code, message, fields}}"),
    403: OpenApiResponse(description="The role or the token's scope does not allow this"),
}


@extend_schema(exclude=True)
class NotFoundView(ErrorShapeMixin, APIView):
    """Any method on an unknown v1 URL."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound

    get = post = put = patch = delete = http_method_not_allowed


class ApiViewSet(ErrorShapeMixin, IdempotentPostMixin, viewsets.GenericViewSet):
    """Shared by every v1 resource: authentication, scope, per-action permissions, cursor pages, filters."""

    authentication_classes = AUTHENTICATION
    pagination_class = Cursor
    filter_backends = [DjangoFilterBackend]
    # action → the Django permissions the matching page checks.
    action_permissions: dict[str, tuple[str, ...]] = {}

    def get_permissions(self):
        wanted = self.action_permissions.get(self.action) or self.action_permissions["list"]
        return [IsAuthenticated(), TokenScope(), needs(*wanted)()]


def _visible_zone_check(user, zone_id: int | None) -> None:
    """The pages' rule, from the one place it is written (requests_intake.zone_access)."""
    zone_ensure_open(user, zone_id)


class HouseholdViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    """Households with their members. Vulnerability is shown only to those who may see it (social workers and
    managers); zones narrow what a social worker assigned to zones sees."""

    intake_endpoint = True
    filterset_class = HouseholdFilter
    action_permissions = {
        "list": ("requests_intake.view_household", "requests_intake.view_householdmember"),
        "retrieve": ("requests_intake.view_household", "requests_intake.view_householdmember"),
        "create": ("requests_intake.add_household",),
    }

    def get_queryset(self):
        households = Household.objects.filter(merged_into__isnull=True).prefetch_related("people")
        if self.action == "retrieve" or getattr(self, "swagger_fake_view", False):
            return households  # checked one by one in get_object, answering 403 as the page does
        return in_zones(households, self.request.user)

    def get_object(self):
        household = super().get_object()
        _visible_zone_check(self.request.user, household.zone_id)
        return household

    def get_serializer_class(self):
        if self.action == "create":
            return s.HouseholdCreateSerializer
        if self.request is not None and self.request.user.has_perm(VULNERABILITY):
            return s.HouseholdAssessedSerializer
        return s.HouseholdSerializer

    @extend_schema(request=s.HouseholdCreateSerializer, responses={201: s.HouseholdSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        data = s.HouseholdCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if not request.user.has_perm(VULNERABILITY):
            fields.pop("vulnerabilities", None)
        household = household_create(actor=request.user, **fields)
        household = Household.objects.prefetch_related("people").get(pk=household.pk)
        answer = s.HouseholdAssessedSerializer if request.user.has_perm(VULNERABILITY) else s.HouseholdSerializer
        return Response(answer(household).data, status=status.HTTP_201_CREATED)


class AidRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Aid requests: created by intake, decided by a social worker (approve, reject, refer, ask for information)."""

    intake_endpoint = True
    serializer_class = s.AidRequestSerializer
    filterset_class = AidRequestFilter
    action_permissions = {
        "list": ("requests_intake.view_aidrequest",),
        "retrieve": ("requests_intake.view_aidrequest",),
        "create": ("requests_intake.add_aidrequest",),
        "approve": ("requests_intake.decide_aidrequest",),
        "reject": ("requests_intake.decide_aidrequest",),
        "refer": ("requests_intake.decide_aidrequest",),
        "ask_information": ("requests_intake.decide_aidrequest",),
    }

    def get_queryset(self):
        requests = AidRequest.objects.all()
        if self.action == "list" and not getattr(self, "swagger_fake_view", False):
            return in_zone_ids(requests, zone_ids_for(self.request.user))
        return requests

    def get_object(self):
        aid_request = super().get_object()
        _visible_zone_check(self.request.user, aid_request.zone_id)
        return aid_request

    @extend_schema(request=s.AidRequestCreateSerializer, responses={201: s.AidRequestSerializer, **ERRORS})
    def create(self, request):
        data = s.AidRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = aid_request_register(actor=request.user, **data.validated_data)
        return Response(s.AidRequestSerializer(created).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, serializer_class, decide) -> Response:
        aid_request = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        decide(aid_request, data.validated_data)
        aid_request.refresh_from_db()
        return Response(s.AidRequestSerializer(aid_request).data)

    @extend_schema(request=s.ApproveSerializer, responses={200: s.AidRequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        def decide(aid_request, data):
            packs = [(line["pack"], line["quantity"], line["every_nth"]) for line in data.pop("packs")]
            decisions.aid_request_approve(actor=request.user, request=aid_request, packs=packs, **data)

        return self._decide(request, s.ApproveSerializer, decide)

    @extend_schema(request=s.RejectSerializer, responses={200: s.AidRequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(
            request,
            s.RejectSerializer,
            lambda r, data: decisions.aid_request_reject(actor=request.user, request=r, **data),
        )

    @extend_schema(request=s.ReferSerializer, responses={200: s.AidRequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        return self._decide(
            request,
            s.ReferSerializer,
            lambda r, data: decisions.aid_request_refer(actor=request.user, request=r, **data),
        )

    @extend_schema(request=s.AskInformationSerializer, responses={200: s.AidRequestSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="ask-information")
    def ask_information(self, request, pk=None):
        return self._decide(
            request,
            s.AskInformationSerializer,
            lambda r, data: decisions.aid_request_ask_information(actor=request.user, request=r, **data),
        )


class AidPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.AidPlanSerializer
    filterset_class = AidPlanFilter
    action_permissions = {"list": ("requests_intake.view_aidplan",)}

    def get_queryset(self):
        plans = AidPlan.objects.select_related("request").prefetch_related("lines")
        if getattr(self, "swagger_fake_view", False):
            return plans
        return in_zone_ids(plans, zone_ids_for(self.request.user), field="request__zone")


class DeliveryOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Delivery orders, filtered by date, status, zone and depot (the orders page's permission)."""

    serializer_class = s.DeliveryOrderSerializer
    filterset_class = DeliveryOrderFilter
    action_permissions = {"list": ("logistics.view_deliveryorder",)}
    queryset = DeliveryOrder.objects.select_related("household").prefetch_related("lines")

    def get_permissions(self):
        if self.action in ("reschedule", "cancel", "packs"):
            # The order change page's rule: planners or social workers (logistics.views_changes.MAY_CHANGE).
            return [IsAuthenticated(), TokenScope(), needs_any(*MAY_CHANGE)()]
        return super().get_permissions()

    def get_object(self):
        order = super().get_object()
        # As on the change page: a social worker listed on zones reaches only those zones' orders (403).
        _visible_zone_check(self.request.user, order.household.zone_id)
        return order

    @extend_schema(request=s.RescheduleSerializer, responses={200: s.DeliveryOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        data = s.RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_reschedule(actor=request.user, order=self.get_object(), **data.validated_data)
        return Response(s.DeliveryOrderSerializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=s.OrderCancelSerializer, responses={200: s.DeliveryOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = s.OrderCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_call_off(actor=request.user, order=self.get_object(), **data.validated_data)
        return Response(s.DeliveryOrderSerializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=PackChangeSerializer, responses={200: s.DeliveryOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def packs(self, request, pk=None):
        """Replace the order's packs: the old holds go back to the shelf and the new packs are reserved, all or
        nothing (logistics.changes.order_change_packs)."""
        data = PackChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = order_change_packs(actor=request.user, order=self.get_object(), packs=data.validated_data["packs"])
        return Response(s.DeliveryOrderSerializer(self.get_queryset().get(pk=order.pk)).data)


class PlanningRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The day's planning runs; publishing one is the board's publish (drivers and households told)."""

    serializer_class = s.PlanningRunSerializer
    action_permissions = {"list": ("routing.view_planningrun",), "publish": ("routing.plan_rounds",)}
    queryset = PlanningRun.objects.all()

    @extend_schema(request=None, responses={200: s.PlanningRunSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        run = run_publish(actor=request.user, run=self.get_object())
        return Response(s.PlanningRunSerializer(run).data)


class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.RoundSerializer
    filterset_class = RoundFilter
    action_permissions = {"list": ("routing.view_planningrun",)}
    queryset = Round.objects.all()


class StopViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.StopSerializer
    filterset_class = StopFilter
    action_permissions = {"list": ("routing.view_planningrun",)}
    queryset = Stop.objects.all()


class SupplierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.SupplierSerializer
    filterset_class = SupplierFilter
    action_permissions = {"list": ("inventory.view_supplier",)}
    queryset = Supplier.objects.all()


class StockAlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.StockAlertSerializer
    filterset_class = StockAlertFilter
    action_permissions = {"list": ("inventory.view_stockalert",)}
    queryset = StockAlert.objects.all()


class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The outbound webhook log; a delivery that failed (or any other) can be sent again."""

    serializer_class = s.WebhookDeliverySerializer
    action_permissions = {"list": ("api.view_webhookdelivery",), "replay": ("api.change_webhookdelivery",)}
    queryset = WebhookDelivery.objects.all()

    @extend_schema(request=None, responses={202: s.WebhookDeliverySerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        delivery = webhook_replay(delivery=self.get_object())
        return Response(s.WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
