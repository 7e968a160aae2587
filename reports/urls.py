from django.urls import path

from reports import views

urlpatterns = [
    path("figures/", views.figures_page, name="figures"),
    path("figures/export.<str:fmt>/", views.figures_export, name="figures_export"),
    path("figures/council.<str:fmt>/", views.council_report_export, name="council_report_export"),
]
