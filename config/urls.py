from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views
from reports.views import home

urlpatterns = [
    path("", home, name="home"),
    path("health/", views.health_check, name="health"),
    path("accesibilidad/", views.accessibility_statement, name="accessibility"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChange.as_view(), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("api/inventory/", include("inventory.api.urls")),
    path("api/intake/", include("requests_intake.api.urls")),
    path("", include("requests_intake.urls")),
    path("", include("requests_intake.urls_erasure")),
    path("", include("inventory.urls")),
    path("", include("logistics.urls")),
    path("", include("delivery.urls")),
    path("", include("reports.urls")),
    path("", include("delivery.urls_survey")),
    path("", include("routing.urls")),
]
