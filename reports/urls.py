from django.urls import path

from logistics import views_figures

urlpatterns = [
    path("figures/", views_figures.figures_page, name="figures"),
    path("figures/export.<str:fmt>/", views_figures.figures_export, name="figures_export"),
]
