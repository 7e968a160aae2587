"""Factories for intake's models. Each builds a valid row with the fewest fields a test must care about."""

import datetime as dt
from decimal import Decimal

import factory

from requests_intake.models import DocumentType, Household, HouseholdMember, Pharmacy, PharmacyHours, Weekday, Zone


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    code = factory.Sequence(lambda n: f"zona-{n}")
    name = factory.Sequence(lambda n: f"Zona {n}")
    postcodes = "30201,30202"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    given_name = "Carmen"
    family_name = factory.Sequence(lambda n: f"Sánchez {n}")
    document_type = DocumentType.NONE
    document_number = ""
    phone = "+34968123456"
    address = factory.Sequence(lambda n: f"Calle del Almendro {n}, 2º")
    postcode = "30201"
    municipality = "Cartagena"
    latitude = Decimal("37.605000")
    longitude = Decimal("-0.985000")
    members = 2


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    given_name = factory.Sequence(lambda n: f"Lucía {n}")
    family_name = "Sánchez"
    birth_date = dt.date(2015, 3, 14)
    relationship = "child"


class PharmacyFactory(factory.django.DjangoModelFactory):
    """A pharmacy near the test households, open 09:00–14:00 and 17:00–20:30 on weekdays and 10:00–13:30 on
    Saturdays, as many Spanish pharmacies are."""

    class Meta:
        model = Pharmacy
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Farmacia {n}")
    address = factory.Sequence(lambda n: f"Calle Mayor {n}")
    latitude = Decimal("37.603000")
    longitude = Decimal("-0.983000")
    phone = "+34968000000"

    @factory.post_generation
    def opening_hours(pharmacy, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        spans = [(day, dt.time(9), dt.time(14)) for day in range(5)]
        spans += [(day, dt.time(17), dt.time(20, 30)) for day in range(5)]
        spans.append((Weekday.SATURDAY, dt.time(10), dt.time(13, 30)))
        for weekday, opens, closes in spans:
            PharmacyHours.objects.get_or_create(pharmacy=pharmacy, weekday=weekday, opens=opens, closes=closes)
