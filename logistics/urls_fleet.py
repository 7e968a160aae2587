from django.urls import path

from logistics import views_fleet

urlpatterns = [
    path("fleet/", views_fleet.fleet_page, name="fleet"),
    path("fleet/vehicles/<int:pk>/availability/", views_fleet.vehicle_availability, name="vehicle_availability"),
    path("fleet/vehicles/<int:pk>/driver/", views_fleet.vehicle_driver, name="vehicle_driver"),
    path("fleet/drivers/<int:pk>/shifts/", views_fleet.driver_shift_save, name="driver_shift_save"),
    path("fleet/absences/", views_fleet.driver_absence_add, name="driver_absence_add"),
    path("fleet/absences/<int:pk>/delete/", views_fleet.driver_absence_delete, name="driver_absence_delete"),
]
