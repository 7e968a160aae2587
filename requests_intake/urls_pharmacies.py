from django.urls import path

from requests_intake import views_pharmacies

urlpatterns = [
    path("pharmacies/", views_pharmacies.pharmacies, name="pharmacies"),
    path("pharmacies/new/", views_pharmacies.pharmacy_new, name="pharmacy_new"),
    path("pharmacies/<int:pk>/", views_pharmacies.pharmacy_edit, name="pharmacy_edit"),
    path("pharmacies/<int:pk>/active/", views_pharmacies.pharmacy_active, name="pharmacy_active"),
]
