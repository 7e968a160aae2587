"""The pharmacies, read through /api/v1/pharmacies/.

An approval names its pharmacy by id (`requests/{id}/approve/`): whoever may approve reads the list to find it, as
well as those who keep the pharmacies (requests_intake.views_pharmacies). Changing them is the page's."""

import django_filters
from rest_framework import mixins
from rest_framework.permissions import IsAuthenticated

from api.permissions import TokenScope, needs_any
from api.serializers import ModelSerializer
from api.views import ApiViewSet
from requests_intake.models import Pharmacy, PharmacyHours

READERS = ("requests_intake.view_pharmacy", "requests_intake.decide_aidrequest")


class PharmacyHoursSerializer(ModelSerializer):
    class Meta:
        model = PharmacyHours
        fields = ["weekday", "opens", "closes"]
        read_only_fields = fields


class PharmacySerializer(ModelSerializer):
    hours = PharmacyHoursSerializer(many=True, read_only=True)

    class Meta:
        model = Pharmacy
        fields = ["id", "name", "address", "latitude", "longitude", "phone", "active", "hours"]
        read_only_fields = fields


class PharmacyFilter(django_filters.FilterSet):
    class Meta:
        model = Pharmacy
        fields = ["active"]


class PharmacyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The pharmacies with their opening spans (weekday 0 = Monday; a weekday without spans is closed); `active`
    false: no longer offered for new plans, though older plans may still name it."""

    serializer_class = PharmacySerializer
    filterset_class = PharmacyFilter
    queryset = Pharmacy.objects.prefetch_related("hours").order_by("name")

    def get_permissions(self):
        return [IsAuthenticated(), TokenScope(), needs_any(*READERS)()]
