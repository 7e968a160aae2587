from django.urls import path

from requests_intake import views_channels

urlpatterns = [
    path("solicitar/", views_channels.webform_request, name="webform_request"),
    path("solicitar/gracias/", views_channels.webform_thanks, name="webform_thanks"),
]
