from django.urls import path

from inventory import views_purchasing as views

urlpatterns = [
    path("purchases/", views.purchase_orders, name="purchase_orders"),
    path("purchases/new/", views.purchase_order_new, name="purchase_order_new"),
    path("purchases/<int:pk>/", views.purchase_order_detail, name="purchase_order_detail"),
    path("purchases/<int:pk>/receive/", views.purchase_order_receive, name="purchase_order_receive"),
    path("purchases/<int:pk>/send/", views.purchase_order_send, name="purchase_order_send"),
    path("purchases/<int:pk>/pdf/", views.purchase_order_pdf_preview, name="purchase_order_pdf"),
    path("purchases/<int:pk>/sent/<int:document_pk>/", views.purchase_order_document, name="purchase_order_document"),
    path("purchases/<int:pk>/cancel/", views.purchase_order_cancel, name="purchase_order_cancel"),
    path("purchases/<int:pk>/close/", views.purchase_order_close, name="purchase_order_close"),
    path("donations/new/", views.donation_new, name="donation_new"),
    path("suppliers/", views.suppliers, name="suppliers"),
]
