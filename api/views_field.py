"""The driver's rounds and outcomes, and the manager's figures, through /api/v1/: the same services as the driver's
page (delivery.driver_sync) and the figures page (reports.selectors), the API adding no rule.

A driver reaches only their own published rounds: the sync refuses an action on anyone else's stop with the same
answer as for a stop that does not exist. The figures are the manager's (who may read every zone)."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import ErrorShapeMixin
from api.idempotency import IdempotentPostMixin
from api.permissions import TokenScope, needs
from api.serializers import StopSerializer
from api.views import AUTHENTICATION
from delivery.driver_sync import KINDS, KNOWN_MAX, actions_apply, stops_removed
from delivery.models import Round, Stop
from delivery.selectors import driver_rounds
from reports.metrics import default_period, period_check
from reports.selectors import manager_figures
from reports.tables import figures_tables
from requests_intake.models import Zone

# As many actions as the phone sends at once (delivery.views_driver.SYNC_MAX_ACTIONS).
SYNC_MAX_ACTIONS = 100
DATE_ERRORS = {"invalid": gettext_lazy("Give the date as YYYY-MM-DD.")}


class FieldView(ErrorShapeMixin, IdempotentPostMixin, APIView):
    authentication_classes = AUTHENTICATION
    permission = ""

    def get_permissions(self):
        return [IsAuthenticated(), TokenScope(), needs(self.permission)()]


# The driver ---------------------------------------------------------------------------------------------------


class DriverRoundSerializer(serializers.ModelSerializer):
    stops = StopSerializer(many=True, read_only=True)

    class Meta:
        model = Round
        fields = ["id", "date", "vehicle", "depot", "start_at", "end_at", "distance_m", "stops"]
        read_only_fields = fields


class DriverRoundsView(FieldView):
    """The caller's own published rounds from today on, each with its stops in visiting order."""

    permission = "delivery.record_delivery"

    @extend_schema(responses={200: DriverRoundSerializer(many=True)})
    def get(self, request):
        rounds = (
            driver_rounds(request.user)
            .filter(date__gte=timezone.localdate())
            .order_by("date", "start_at")
            .prefetch_related(Prefetch("stops", queryset=Stop.objects.order_by("sequence")))
        )
        return Response(DriverRoundSerializer(rounds, many=True).data)


class DriverActionSerializer(serializers.Serializer):
    """One action of the phone's queue. Only `key` and `kind` are always read; the rest as the kind needs."""

    key = serializers.UUIDField(help_text=gettext_lazy("Made by the phone; the same key again changes nothing."))
    kind = serializers.ChoiceField(choices=[(kind, kind) for kind in KINDS])
    done_at = serializers.DateTimeField(required=False, help_text=gettext_lazy("When it happened at the door."))
    round = serializers.IntegerField(required=False, help_text=gettext_lazy("For start: the round started."))
    stop = serializers.IntegerField(required=False, help_text=gettext_lazy("For the other kinds: the stop."))
    received_by = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, help_text=gettext_lazy("For failed: why (a failure reason)."))
    signature = serializers.CharField(required=False, help_text=gettext_lazy("A data: URL of a PNG or JPEG."))
    photo = serializers.CharField(required=False, help_text=gettext_lazy("A data: URL of a PNG or JPEG."))


@extend_schema_field(DriverActionSerializer)
class ActionField(serializers.DictField):
    """An action, described as DriverAction but read as any object: the service checks each one on its own, so
    that one bad action never holds back the rest of the queue."""


class SyncSerializer(serializers.Serializer):
    actions = serializers.ListField(child=ActionField(), max_length=SYNC_MAX_ACTIONS)
    known = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=KNOWN_MAX)


class SyncAnswerSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    accepted = serializers.BooleanField()
    code = serializers.CharField(allow_null=True)
    message = serializers.CharField(allow_blank=True)


class SyncResultSerializer(serializers.Serializer):
    answers = SyncAnswerSerializer(many=True)
    removed = serializers.ListField(child=serializers.IntegerField())


class DriverSyncView(FieldView):
    """Apply the driver's queued outcomes (start a round, delivered, failed, a welfare concern) in order, one
    answer each; and of the stops the phone shows (`known`), those taken off the driver's rounds since."""

    permission = "delivery.record_delivery"

    @extend_schema(
        request=SyncSerializer,
        responses={
            200: SyncResultSerializer,
            503: OpenApiResponse(description="The database is briefly unavailable: send the same actions again"),
        },
    )
    def post(self, request):
        data = SyncSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # A database that is down is let through: the error handler answers 503 with Retry-After, and the phone
        # (or integration) keeps its queue; the keys make sending it again safe.
        answers = actions_apply(driver=request.user, actions=data.validated_data["actions"])
        removed = stops_removed(driver=request.user, known=data.validated_data.get("known"))
        return Response({"answers": answers, "removed": removed})


# Figures ------------------------------------------------------------------------------------------------------


class FiguresQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False, error_messages=DATE_ERRORS)
    date_to = serializers.DateField(required=False, error_messages=DATE_ERRORS)
    zone = serializers.PrimaryKeyRelatedField(
        queryset=Zone.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": gettext_lazy("There is no zone with id {pk_value}.")},
    )


class FiguresColumnSerializer(serializers.Serializer):
    label = serializers.CharField()
    numeric = serializers.BooleanField()


class FiguresTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    columns = FiguresColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
        help_text=gettext_lazy("One list per row: text, a number, a date (YYYY-MM-DD) or null in each cell."),
    )


class FiguresSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    zone = serializers.IntegerField(allow_null=True)
    tables = FiguresTableSerializer(many=True)


class FiguresView(FieldView):
    """The manager's figures for a period (the last four weeks unless given; at most a year) and zone: every table
    of the figures page, its titles and column labels in the caller's language."""

    permission = "requests_intake.view_audit"

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("zone", int),
        ],
        responses={200: FiguresSerializer},
    )
    def get(self, request):
        query = FiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        default = default_period(timezone.localdate())
        first = query.validated_data.get("date_from", default.first)
        last = query.validated_data.get("date_to", default.last)
        period = period_check(first=first, last=last)
        zone = query.validated_data.get("zone")
        tables = figures_tables(manager_figures(period=period, zone=zone))
        body = {
            "date_from": period.first,
            "date_to": period.last,
            "zone": zone.pk if zone else None,
            "tables": [
                {
                    "key": table.key,
                    "title": str(table.title),
                    "note": str(table.note),
                    "columns": [{"label": str(c.label), "numeric": c.numeric} for c in table.columns],
                    "rows": [list(row) for row in table.rows],
                }
                for table in tables
            ],
        }
        return Response(FiguresSerializer(body).data)
