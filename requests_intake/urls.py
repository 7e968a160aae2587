from django.urls import path

from requests_intake import views

urlpatterns = [
    path("intake/", views.intake, name="intake"),
    path("intake/households/<int:household_id>/request/", views.request_new, name="request_new"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("assessment/", views.assessment_queue, name="assessment_queue"),
    path("assessment/<int:pk>/", views.assessment, name="assessment"),
]
