from django.urls import path

from inventory import views_counts

urlpatterns = [
    path("counts/", views_counts.stock_counts, name="stock_counts"),
    path("counts/<int:pk>/", views_counts.stock_count_detail, name="stock_count_detail"),
    path("counts/<int:pk>/export.<str:fmt>/", views_counts.stock_count_export, name="stock_count_export"),
]
