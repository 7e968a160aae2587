"""The public web form: anyone may ask for help, with consent, a limited number of times an hour.

Here the services, models and commands, called directly; the pages are tested in test_webform_pages.py."""

import pytest
from django.test import RequestFactory

from core.security import client_address
from requests_intake.tests.helpers.webform import URL

pytestmark = pytest.mark.django_db


def test_behind_a_proxy_the_client_is_the_last_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post(URL, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="10.0.0.1")

    assert client_address(request) == "203.0.113.9"


def test_without_a_proxy_header_the_client_is_the_remote_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().post(URL, HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.1")

    assert client_address(request) == "10.0.0.1"
