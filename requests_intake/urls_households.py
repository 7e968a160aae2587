from django.urls import path

from requests_intake import views_households

urlpatterns = [
    path("households/<int:pk>/", views_households.household_detail, name="household_detail"),
]
