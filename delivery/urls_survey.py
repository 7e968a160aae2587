"""The public pages of the requester (survey, status page), at the site root with Spanish paths: the links go out
in text messages."""

from django.urls import path

from delivery import views_status, views_survey

urlpatterns = [
    path("encuesta/<str:token>/", views_survey.survey_answer_page, name="survey_answer"),
    path("encuesta/<str:token>/gracias/", views_survey.survey_thanks, name="survey_thanks"),
    path("estado/<str:token>/", views_status.status_page, name="status_page"),
]
