from django.urls import path

from reports import views

urlpatterns = [
    path("figures/", views.figures_page, name="figures"),
    path("figures/export.<str:fmt>/", views.figures_export, name="figures_export"),
]
