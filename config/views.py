from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from config.selectors import home_figures


@login_required
def home(request):
    """Each role sees its own work; a person with several roles sees each part."""
    return render(request, "home.html", home_figures(request.user, timezone.localdate()))
