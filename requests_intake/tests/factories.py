"""Factories for intake's models. Each builds a valid row with the fewest fields a test must care about."""

import datetime as dt
from decimal import Decimal

import factory

from requests_intake.models import DocumentType, Household, HouseholdMember, Zone


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
