from django.urls import path
from rest_framework.routers import SimpleRouter

from inventory.api import views

# SimpleRouter, not DefaultRouter: its browsable root would answer any signed-in user, drivers included.
router = SimpleRouter()
router.register("items", views.ItemViewSet, basename="api_item")
router.register("lots", views.LotViewSet, basename="api_lot")
router.register("movements", views.MovementViewSet, basename="api_movement")
router.register("purchase-orders", views.PurchaseOrderViewSet, basename="api_purchase_order")

urlpatterns = [
    path("stock/", views.StockView.as_view(), name="api_stock"),
    *router.urls,
]
