"""What the order-change actions of the API take, beyond api.serializers' reschedule and cancel: new packs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class PackLineSerializer(serializers.Serializer):
    pack = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=999)


class PackChangeSerializer(serializers.Serializer):
    """The order's packs after the change, each once: what `order_change_packs` takes as pack id → quantity."""

    packs = PackLineSerializer(many=True, allow_empty=False)

    def validate_packs(self, rows: list[dict]) -> dict[int, int]:
        packs: dict[int, int] = {}
        for row in rows:
            if row["pack"] in packs:
                raise serializers.ValidationError(
                    _("Pack %(pack)s is listed twice: give each pack once, with its quantity.") % {"pack": row["pack"]},
                    code="duplicate_pack",
                )
            packs[row["pack"]] = row["quantity"]
        return packs
