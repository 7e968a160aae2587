from django.shortcuts import render

from config.permissions import permission_needed
from inventory.models import Warehouse
from inventory.selectors import stock_overview


@permission_needed("inventory.view_stocklot")
def stock(request):
    warehouses = [(w, stock_overview(warehouse=w)) for w in Warehouse.objects.order_by("name")]
    return render(request, "inventory/stock.html", {"warehouses": warehouses})
