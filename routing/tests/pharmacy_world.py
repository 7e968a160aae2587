"""A small day with a medication order for the pharmacy-run tests: the centre depot with stock, one van driven by
someone allowed to carry medication, a pharmacy open tomorrow in the hours each test gives, and a plain order."""

import datetime as dt

from django.contrib.auth.models import Group, Permission

from core.roles import DRIVER
from core.tests.factories import UserFactory, tomorrow
from inventory.tests.factories import ItemFactory, pack_with
from logistics.tests.factories import VehicleFactory
from requests_intake.models import Pharmacy, PharmacyHours
from requests_intake.tests.factories import PharmacyFactory
from routing.tests.town import town_depot, town_order, town_stock

MORNING = [(dt.time(9), dt.time(14))]


def pharmacy_open(spans=MORNING, **fields) -> Pharmacy:
    """A pharmacy open tomorrow in `spans` (none: closed tomorrow, open the day after), whatever weekday that is."""
    pharmacy = PharmacyFactory(opening_hours=False, **fields)
    weekday = tomorrow().weekday()
    for opens, closes in spans:
        PharmacyHours.objects.create(pharmacy=pharmacy, weekday=weekday, opens=opens, closes=closes)
    if not spans:
        PharmacyHours.objects.create(pharmacy=pharmacy, weekday=(weekday + 1) % 7, opens=dt.time(9), closes=dt.time(14))
    return pharmacy


def medication_driver(driver):
    driver.user_permissions.add(Permission.objects.get(codename="carry_medication"))
    return type(driver).objects.get(pk=driver.pk)  # a fresh user: permissions are cached on the instance


def medication_day(role_users, pharmacy: Pharmacy | None = None, *, vans: int = 1) -> dict:
    """The centre depot's day: `vans` vans with drivers allowed to carry medication (the first is the role
    driver), an order whose plan names the pharmacy (open 09:00–14:00 tomorrow unless given) and a plain one."""
    warehouse, zone = town_depot("centro")
    item = ItemFactory()
    town_stock(role_users, item, warehouse)
    pack = pack_with({item: 2})
    pharmacy = pharmacy or pharmacy_open()
    fleet = [VehicleFactory(name="Furgoneta A", depot=warehouse, driver=medication_driver(role_users["driver"]))]
    for n in range(1, vans):
        other = UserFactory(username=f"driver{n}")
        other.groups.add(Group.objects.get(name=DRIVER))
        fleet.append(VehicleFactory(name=f"Furgoneta {'ABCDEF'[n]}", depot=warehouse, driver=medication_driver(other)))
    medication = town_order(role_users, zone, pack, offset=0, pharmacy=pharmacy)
    plain = town_order(role_users, zone, pack, offset=1)
    return {
        "warehouse": warehouse,
        "zone": zone,
        "pack": pack,
        "pharmacy": pharmacy,
        "vans": fleet,
        "medication": medication,
        "plain": plain,
    }
