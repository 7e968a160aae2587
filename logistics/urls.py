from django.urls import include, path

from logistics import views

urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("", include("logistics.urls_fleet")),
]
    path("", include("logistics.urls_changes")),
