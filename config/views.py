from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from config.health import health
from config.selectors import home_figures


@login_required
def home(request):
    """Each role sees its own work; a person with several roles sees each part."""
    return render(request, "home.html", home_figures(request.user, timezone.localdate()))


@never_cache
def health_check(request):
    """Open to anyone (load balancers do not sign in); says only whether the services answer, 503 when one does not."""
    ok, body = health()
    return JsonResponse({"ok": ok, **body}, status=200 if ok else 503)
