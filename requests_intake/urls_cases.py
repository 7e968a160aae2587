from django.urls import path

from requests_intake import views_cases

urlpatterns = [
    path("cases/mine/", views_cases.cases_mine, name="cases_mine"),
    path("households/<int:pk>/assign/", views_cases.household_assign, name="household_assign"),
    path("households/<int:pk>/interventions/new/", views_cases.intervention_new, name="intervention_new"),
]
