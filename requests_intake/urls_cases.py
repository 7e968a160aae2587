from django.urls import path

from requests_intake import views_cases, views_visits

urlpatterns = [
    path("cases/mine/", views_cases.cases_mine, name="cases_mine"),
    path("households/<int:pk>/assign/", views_cases.household_assign, name="household_assign"),
    path("households/<int:pk>/interventions/new/", views_cases.intervention_new, name="intervention_new"),
    path("households/<int:pk>/visits/new/", views_visits.visit_new, name="visit_new"),
    path("visits/today/", views_visits.visits_today, name="visits_today"),
    path("visits/<int:pk>/outcome/", views_visits.visit_outcome, name="visit_outcome"),
    path("visits/<int:pk>/cancel/", views_visits.visit_cancel, name="visit_cancel"),
]
