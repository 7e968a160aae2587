from django.urls import include, path

from requests_intake import views

urlpatterns = [
    path("intake/", views.intake, name="intake"),
    path("intake/households/<int:household_id>/request/", views.request_new, name="request_new"),
    path("assessment/", views.assessment_queue, name="assessment_queue"),
    path("assessment/<int:pk>/", views.assessment, name="assessment"),
    path("assessment/<int:pk>/resume/", views.assessment_resume, name="assessment_resume"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("", include("requests_intake.urls_households")),
    path("", include("requests_intake.urls_channels")),
    path("", include("requests_intake.urls_imports")),
    path("", include("requests_intake.urls_cases")),
    path("", include("requests_intake.urls_complaints")),
    path("", include("requests_intake.urls_conversations")),
    path("", include("requests_intake.urls_pharmacies")),
]
