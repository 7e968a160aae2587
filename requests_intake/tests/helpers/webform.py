"""Where the public web form lives, for test_webform_services.py and test_webform_pages.py."""

URL = "/solicitar/"
