"""Top-level URL wiring."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from programme import views as programme_views
from programme.portal import system_views, two_factor

handler500 = "programme.portal.system_views.server_error"

urlpatterns = [
    path("", programme_views.home, name="home"),
    path("gezondheid/", system_views.health, name="health"),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("tweestapsverificatie/", two_factor.verify, name="two_factor_verify"),
    path("tweestapsverificatie/instellen/", two_factor.setup, name="two_factor_setup"),
    path("tweestapsverificatie/reservecodes/", two_factor.backup_codes, name="two_factor_backup_codes"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("", include("programme.urls")),
    path("", include("measures.urls")),
    path("", include("reporting.urls")),
]
