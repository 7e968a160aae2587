from django.urls import include, path

from inventory import views

urlpatterns = [
    path("stock/", views.stock, name="stock"),
    path("stock/value.<str:fmt>", views.stock_value_export, name="stock_value_export"),
    path("stock/lots/<int:pk>/", views.lot_detail, name="lot_detail"),
    path("stock/movements/<int:pk>/reverse/", views.movement_reverse, name="movement_reverse"),
    path("assembly/", views.assembly, name="assembly"),
    path("assembly/list.pdf", views.assembly_pdf, name="assembly_pdf"),
    path("assembly/packs/<int:pack_pk>/", views.assembly_run, name="assembly_run"),
    path("", include("inventory.urls_purchasing")),
    path("", include("inventory.urls_forecast")),
    path("", include("inventory.urls_counts")),
]
