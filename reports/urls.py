from django.urls import path

from reports import views, views_costs

urlpatterns = [
    path("figures/", views.figures_page, name="figures"),
    path("figures/export.<str:fmt>/", views.figures_export, name="figures_export"),
    path("figures/council.<str:fmt>/", views.council_report_export, name="council_report_export"),
    path("figures/costs/", views_costs.costs_page, name="delivery_costs"),
]
