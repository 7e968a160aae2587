"""/api/: the OpenAPI schema and its two readers, and version 1 of every resource.

The inventory API and the gateway webhook keep their first paths (config/urls.py) and are also here under v1."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import legacy, views, views_catalogue, views_field, views_pharmacies, views_sheets
from api.docs import RedocView, SchemaView

# SimpleRouter, not DefaultRouter: its browsable root would answer anyone signed in, drivers included.
router = SimpleRouter()
router.register("households", views.HouseholdViewSet, basename="households")
router.register("requests", views.AidRequestViewSet, basename="requests")
router.register("plans", views.AidPlanViewSet, basename="plans")
router.register("orders", views.DeliveryOrderViewSet, basename="orders")
router.register("packs", views_catalogue.PackViewSet, basename="packs")
router.register("pharmacies", views_pharmacies.PharmacyViewSet, basename="pharmacies")
router.register("planning-runs", views.PlanningRunViewSet, basename="planning_runs")
router.register("rounds", views.RoundViewSet, basename="rounds")
router.register("stops", views.StopViewSet, basename="stops")
router.register("suppliers", views.SupplierViewSet, basename="suppliers")
router.register("alerts", views.StockAlertViewSet, basename="alerts")
router.register("webhook-deliveries", views.WebhookDeliveryViewSet, basename="webhook_deliveries")
router.register("inventory/items", legacy.ItemViewSet, basename="items")
router.register("inventory/lots", legacy.LotViewSet, basename="lots")
router.register("inventory/movements", legacy.MovementViewSet, basename="movements")
router.register("inventory/purchase-orders", legacy.PurchaseOrderViewSet, basename="purchase_orders")

v1 = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("inventory/stock/", legacy.StockView.as_view(), name="stock"),
    path("intake/messages/", legacy.MessageReceiveV1View.as_view(), name="intake_messages"),
    # Before the router's: "orders/export/" would otherwise be read as the order with id "export".
    path("orders/export/", views_sheets.OrdersExportView.as_view(), name="orders_export"),
    path("catalogue/items/export/", views_sheets.CatalogueExportView.as_view(kind="items"), name="items_export"),
    path("catalogue/items/import/", views_sheets.CatalogueImportView.as_view(kind="items"), name="items_import"),
    path("catalogue/packs/export/", views_sheets.CatalogueExportView.as_view(kind="packs"), name="packs_export"),
    path("catalogue/packs/import/", views_sheets.CatalogueImportView.as_view(kind="packs"), name="packs_import"),
    path("driver/rounds/", views_field.DriverRoundsView.as_view(), name="driver_rounds"),
    path("driver/sync/", views_field.DriverSyncView.as_view(), name="driver_sync"),
    path("figures/", views_field.FiguresView.as_view(), name="figures"),
    *router.urls,
]

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("redoc/", RedocView.as_view(url_name="api_schema"), name="api_redoc"),
    path("v1/", include((v1, "api_v1"))),
    # An unknown v1 URL (a wrong id like /orders/abc/) answers the JSON error shape, not the site's HTML 404 page.
    re_path(r"^v1/", views.NotFoundView.as_view()),
]
