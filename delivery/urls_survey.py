"""The public survey pages, at the site root with Spanish paths: the link goes out in text messages."""

from django.urls import path

from delivery import views_survey

urlpatterns = [
    path("encuesta/<str:token>/", views_survey.survey_answer_page, name="survey_answer"),
    path("encuesta/<str:token>/gracias/", views_survey.survey_thanks, name="survey_thanks"),
]
