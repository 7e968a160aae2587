from django.urls import path

from logistics import views_calendar

urlpatterns = [
    path("calendar/", views_calendar.delivery_calendar, name="delivery_calendar"),
    path("calendar/holidays/", views_calendar.local_holiday_add_view, name="local_holiday_add"),
    path("calendar/holidays/<int:pk>/remove/", views_calendar.local_holiday_remove_view, name="local_holiday_remove"),
    path("calendar/zones/<int:pk>/days/", views_calendar.zone_delivery_days, name="zone_delivery_days"),
    path("calendar/depots/<int:pk>/days/", views_calendar.depot_delivery_days, name="depot_delivery_days"),
]
