from django.urls import path

from requests_intake import views_imports

urlpatterns = [
    path("households/import/", views_imports.households_import, name="households_import"),
    path("households/export/", views_imports.households_export, name="households_export"),
    path("households/<int:pk>/data.json", views_imports.household_data_export, name="household_data_export"),
]
