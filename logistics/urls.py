from django.urls import include, path

from logistics import views, views_depot_day, views_shortages

urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/depot/", views.order_depot_view, name="order_depot"),
    path("orders/<int:pk>/transfer/", views.order_transfer_view, name="order_transfer"),
    path("orders/depot-day/", views_depot_day.depot_day_view, name="depot_day"),
    path("orders/<int:pk>/split/", views_shortages.order_split_view, name="order_split"),
    path("", include("logistics.urls_fleet")),
    path("", include("logistics.urls_changes")),
    path("", include("logistics.urls_calendar")),
]
