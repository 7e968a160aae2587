from django.urls import path

from delivery import views, views_concerns, views_custody, views_driver, views_pickup, views_positions

urlpatterns = [
    path("day-close/", views.day_close_page, name="day_close"),
    path("driver/", views_driver.driver_round, name="driver_round"),
    # Under /driver/ so that the service worker's scope covers the page.
    path("driver/sw.js", views_driver.driver_sw, name="driver_sw"),
    path("driver/sync/", views_driver.driver_sync, name="driver_sync"),
    path("driver/rounds/<int:pk>/start/", views_driver.round_started, name="round_started"),
    path(
        "driver/rounds/<int:pk>/share-position/",
        views_positions.round_position_share_view,
        name="round_position_share",
    ),
    path("driver/rounds/<int:pk>/position/", views_positions.round_position_view, name="round_position"),
    path("driver/stops/<int:pk>/delivered/", views_driver.stop_delivered, name="stop_delivered"),
    path("driver/stops/<int:pk>/picked-up/", views_driver.stop_picked_up, name="stop_picked_up"),
    path("driver/stops/<int:pk>/failed/", views_driver.stop_failed, name="stop_failed"),
    path("driver/stops/<int:pk>/undo-failed/", views_driver.stop_failure_undone, name="stop_failure_undone"),
    path("driver/stops/<int:pk>/concern/", views_driver.stop_concern, name="stop_concern"),
    path("stops/<int:pk>/proof/<str:kind>/", views_driver.stop_proof, name="stop_proof"),
    path("concerns/", views_concerns.concerns, name="concerns"),
    path("concerns/<int:pk>/acknowledge/", views_concerns.concern_acknowledge_view, name="concern_acknowledge"),
    path("concerns/<int:pk>/resolve/", views_concerns.concern_resolve_view, name="concern_resolve"),
    path("rounds/<int:pk>/<str:kind>.pdf", views.round_pdf, name="round_pdf"),
    path("runs/<int:pk>/summary-<slug:depot>.pdf", views.run_summary_pdf, name="run_summary_pdf"),
    # The medication's chain of custody for the plan's social worker (the plan page lives in requests_intake).
    path("plans/<int:pk>/custody/", views_custody.plan_custody_page, name="plan_custody"),
    path("pickups/", views_pickup.pickups, name="pickups"),
    path("pickups/<int:pk>/collect/", views_pickup.pickup_collect, name="pickup_collect"),
]
