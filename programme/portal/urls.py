"""The portal's own pages: home, health check, login and logout, second factor (un-namespaced names)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from programme import views as programme_views

from . import system_views, two_factor

# No app_name: settings (LOGIN_URL, LOGIN_REDIRECT_URL) and every template use these names bare.
urlpatterns = [
    path("", programme_views.home, name="home"),
    path("gezondheid/", system_views.health, name="health"),
    path("inloggen/", system_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("tweestapsverificatie/", two_factor.verify, name="two_factor_verify"),
    path("tweestapsverificatie/instellen/", two_factor.setup, name="two_factor_setup"),
    path("tweestapsverificatie/reservecodes/", two_factor.backup_codes, name="two_factor_backup_codes"),
]
