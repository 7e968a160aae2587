from django.urls import include, path

from logistics import views

urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/depot/", views.order_depot_view, name="order_depot"),
    path("orders/<int:pk>/transfer/", views.order_transfer_view, name="order_transfer"),
    path("", include("logistics.urls_fleet")),
    path("", include("logistics.urls_changes")),
]
