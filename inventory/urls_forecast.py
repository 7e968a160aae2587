from django.urls import path

from inventory import views_forecast

urlpatterns = [
    path("supplies/", views_forecast.supply_dashboard, name="supply_dashboard"),
    path("supplies/alerts/refresh/", views_forecast.supply_alerts_refresh, name="supply_alerts_refresh"),
    path(
        "supplies/alerts/<int:pk>/acknowledge/",
        views_forecast.supply_alert_acknowledge,
        name="supply_alert_acknowledge",
    ),
    path("supplies/order/", views_forecast.supply_order_create, name="supply_order_create"),
]
