from django.urls import path

from requests_intake.api import views

urlpatterns = [
    path("messages/", views.MessageReceiveView.as_view(), name="api_intake_messages"),
    path("receipts/", views.DeliveryReceiptView.as_view(), name="api_intake_receipts"),
]
