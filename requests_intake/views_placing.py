"""The page where a person places a household on the map, for an address the street table does not know."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.permissions import permission_needed
from inventory.models import Warehouse
from requests_intake.forms_placing import PlaceForm
from requests_intake.models import Household
from requests_intake.placing import household_place
from requests_intake.views_households import _ensure_in_my_zones
from routing.geocoding import streets_like


@permission_needed("requests_intake.change_household")
def household_place_view(request, pk: int):
    household = get_object_or_404(Household, pk=pk, merged_into__isnull=True)
    _ensure_in_my_zones(request.user, household)
    initial = {"point": f"{household.latitude}, {household.longitude}"} if household.has_location else {}
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        latitude, longitude = form.cleaned_data["point"]
        try:
            household_place(actor=request.user, household=household, latitude=latitude, longitude=longitude)
        except ValidationError as exc:
            form.add_error("point", exc)
        else:
            messages.success(
                request, _("%(name)s is on the map now: deliveries can be planned.") % {"name": household.full_name}
            )
            return redirect("household_detail", pk=household.pk)
    depots = list(Warehouse.objects.order_by("pk").values_list("name", "latitude", "longitude"))
    return render(
        request,
        "requests_intake/households/place.html",
        {
            "household": household,
            "form": form,
            "suggestions": streets_like(address=household.address, municipality=household.municipality),
            "map_data": {
                "tiles": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "depots": [{"name": n, "point": [float(a), float(b)]} for n, a, b in depots],
                "pin": [float(household.latitude), float(household.longitude)] if household.has_location else None,
            },
        },
    )
