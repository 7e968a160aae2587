from django.urls import path

from requests_intake import views_households, views_placing

urlpatterns = [
    path("households/search/", views_households.household_search, name="household_search"),
    path("households/<int:pk>/", views_households.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views_households.household_edit, name="household_edit"),
    path("households/<int:pk>/place/", views_placing.household_place_view, name="household_place"),
    path("households/<int:pk>/merge/<int:other_pk>/", views_households.household_merge, name="household_merge"),
    path("households/<int:pk>/history/", views_households.household_audit, name="household_audit"),
]
