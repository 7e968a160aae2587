from django.urls import path

from routing import views, views_live, views_week

urlpatterns = [
    path("planning/", views.planning, name="planning"),
    path("planning/week/", views_week.planning_week, name="planning_week"),
    path("planning/map/", views.board_map_data, name="board_map"),
    path("planning/vans/", views.board_vans_data, name="board_vans"),
    path("planning/rounds/<int:pk>/stops/", views.board_round_stops, name="board_round_stops"),
    path("planning/runs/<int:pk>/status/", views.planning_run_status, name="planning_run_status"),
    path("planning/runs/<int:pk>/cancel/", views.planning_run_cancel_view, name="planning_run_cancel"),
    path("planning/runs/<int:pk>/publish/", views.run_publish_view, name="run_publish"),
    path("planning/runs/<int:pk>/unpublish/", views.run_unpublish_view, name="run_unpublish"),
    path("planning/stops/<int:pk>/lock/", views.stop_lock_view, name="stop_lock"),
    path("planning/stops/<int:pk>/move/", views.stop_move_view, name="stop_move"),
    path("planning/orders/<int:pk>/fit-live/", views_live.order_fit_live_view, name="order_fit_live"),
]
