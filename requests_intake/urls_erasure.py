from django.urls import path

from requests_intake import views_erasure

urlpatterns = [
    path("households/<int:pk>/erase/", views_erasure.household_erase, name="household_erase"),
]
