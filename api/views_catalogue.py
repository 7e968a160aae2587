"""The packs of the catalogue, read through /api/v1/packs/.

An approval names its packs by id (`requests/{id}/approve/`), and the catalogue's sheet export gives only their
codes: without this list an integrator holding the schema and a token could not approve anything. It answers the
same packs, to the same callers, as the packs' sheet export (api.views_sheets)."""

import django_filters
from rest_framework import mixins
from rest_framework.permissions import IsAuthenticated

from api.permissions import TokenScope, needs_any
from api.serializers import ModelSerializer
from api.views import ApiViewSet
from api.views_sheets import EXPORT_PERMISSIONS
from inventory.models import Pack, PackComponent


class PackComponentSerializer(ModelSerializer):
    class Meta:
        model = PackComponent
        fields = ["item", "quantity"]
        read_only_fields = fields


class PackSerializer(ModelSerializer):
    components = PackComponentSerializer(many=True, read_only=True)

    class Meta:
        model = Pack
        fields = ["id", "code", "name", "name_en", "size", "programme", "components"]
        read_only_fields = fields


class PackFilter(django_filters.FilterSet):
    class Meta:
        model = Pack
        fields = ["code", "size", "programme"]


class PackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """The packs with their components (item and quantity), found by code, size or programme."""

    serializer_class = PackSerializer
    filterset_class = PackFilter
    queryset = Pack.objects.prefetch_related("components")

    def get_permissions(self):
        # Whoever may export the packs as a sheet (items or packs readers) reads them here as well.
        return [IsAuthenticated(), TokenScope(), needs_any(*EXPORT_PERMISSIONS["packs"])()]
