from django.urls import include, path

from logistics import views

urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("day-close/", views.day_close_page, name="day_close"),
    path("driver/", views.driver_round, name="driver_round"),
    path("driver/rounds/<int:pk>/start/", views.round_started, name="round_started"),
    path("driver/stops/<int:pk>/delivered/", views.stop_delivered, name="stop_delivered"),
    path("driver/stops/<int:pk>/failed/", views.stop_failed, name="stop_failed"),
    path("rounds/<int:pk>/<str:kind>.pdf", views.round_pdf, name="round_pdf"),
    path("runs/<int:pk>/summary-<slug:depot>.pdf", views.run_summary_pdf, name="run_summary_pdf"),
    path("", include("logistics.urls_figures")),
]
