from django.urls import path

from logistics import views_changes, views_order_packs

urlpatterns = [
    path("orders/<int:pk>/change/", views_changes.order_change, name="order_change"),
    path("orders/<int:pk>/reschedule/", views_changes.order_reschedule_view, name="order_reschedule"),
    path("orders/<int:pk>/cancel/", views_changes.order_cancel_view, name="order_cancel"),
    path("orders/<int:pk>/packs/", views_order_packs.order_packs_view, name="order_packs"),
    path("orders/<int:pk>/end-plan/", views_order_packs.order_plan_end_view, name="order_plan_end"),
]
