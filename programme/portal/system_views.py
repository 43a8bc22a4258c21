"""Pages that must work when little else does: the health check and the error pages."""

import logging
import sys

from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger("ghnt.system")


def health(request):
    """For the load balancer: 200 when the database answers, 503 when it does not. No login, no secrets."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health check: database unavailable")
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request, *args, **kwargs):
    """A plain Dutch error page that needs no database: 503 when the database is away, else 500.

    Django calls this inside its exception handling, so sys.exc_info() still names the cause.
    """
    error = sys.exc_info()[1]
    database_down = isinstance(error, DatabaseError)
    template = loader.get_template("503.html" if database_down else "500.html")
    return HttpResponse(template.render(), status=503 if database_down else 500)


class LoginView(auth_views.LoginView):
    """Django's login page; a logged-in user goes on to `next`, unless `next` is this page itself.

    Django refuses that with a ValueError (a redirect loop), a 500 for `/inloggen/?next=/inloggen/`.
    """

    redirect_authenticated_user = True

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if url and url.split("?", 1)[0] == self.request.path else url
