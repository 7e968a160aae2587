"""Query filters of the list endpoints (django-filter): a wrong value is a 400 naming the parameter."""

import django_filters

from delivery.models import Round, Stop
from inventory.models import StockAlert, Supplier
from logistics.models import DeliveryOrder
from requests_intake.models import AidPlan, AidRequest, Household


class HouseholdFilter(django_filters.FilterSet):
    class Meta:
        model = Household
        fields = {"zone": ["exact"], "postcode": ["exact"], "document_number": ["exact"]}


class AidRequestFilter(django_filters.FilterSet):
    received_after = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")

    class Meta:
        model = AidRequest
        fields = {"status": ["exact"], "zone": ["exact"], "household": ["exact"], "channel": ["exact"]}


class AidPlanFilter(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="request__household")

    class Meta:
        model = AidPlan
        fields = {"request": ["exact"], "first_delivery_on": ["exact", "gte", "lte"]}


class DeliveryOrderFilter(django_filters.FilterSet):
    date = django_filters.DateFilter(field_name="due_date")
    date_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    zone = django_filters.NumberFilter(field_name="household__zone")
    depot = django_filters.NumberFilter(field_name="warehouse")
    status = django_filters.ChoiceFilter(choices=DeliveryOrder.Status.choices)

    class Meta:
        model = DeliveryOrder
        fields = ["date", "date_from", "date_to", "status", "zone", "depot", "household", "plan"]


class RoundFilter(django_filters.FilterSet):
    class Meta:
        model = Round
        fields = {"date": ["exact"], "depot": ["exact"], "driver": ["exact"], "run": ["exact"]}


class StopFilter(django_filters.FilterSet):
    date = django_filters.DateFilter(field_name="round__date")
    outcome = django_filters.ChoiceFilter(choices=Stop.Outcome.choices)

    class Meta:
        model = Stop
        fields = ["round", "order", "date", "outcome"]


class SupplierFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Supplier.Kind.choices)

    class Meta:
        model = Supplier
        fields = ["kind"]


class StockAlertFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=StockAlert.Kind.choices)
    status = django_filters.ChoiceFilter(choices=StockAlert.Status.choices)

    class Meta:
        model = StockAlert
        fields = ["kind", "status", "item", "warehouse"]
