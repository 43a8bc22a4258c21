"""Top-level URL wiring: the portal's own pages, the admin, the language switch and the three apps."""

from django.contrib import admin
from django.urls import include, path

handler500 = "programme.portal.system_views.server_error"

urlpatterns = [
    path("", include("programme.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("", include("programme.urls")),
    path("", include("measures.urls")),
    path("", include("reporting.urls")),
]
