from django.urls import path

from routing import views

urlpatterns = [path("planning/", views.planning, name="planning")]
