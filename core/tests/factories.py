"""Factories for what core owns (accounts), and the day most tests plan for."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)
