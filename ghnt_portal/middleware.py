"""The portal's own middleware: language selection, security headers and the sessions' idle timeout."""

import datetime

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils import timezone, translation


class DutchFirstLocaleMiddleware:
    """Activate the language from the language cookie, else Dutch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, which would give
    most civil servants' English-configured browsers an English portal; Dutch is the default here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Content-Security-Policy and Permissions-Policy.

    Placed above WhiteNoise, so static files carry them too. A view may set its own policy first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # Static files skip the clickjacking middleware below WhiteNoise; nothing of the portal is framed.
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


class IdleTimeoutSessionMiddleware(SessionMiddleware):
    """Django's session middleware, pushing a session's expiry (its idle timeout) at most once a minute.

    A session ends SESSION_COOKIE_AGE after it was last saved. Saving it on every request (Django's
    SESSION_SAVE_EVERY_REQUEST) costs every page an UPDATE and a commit; here a session is saved when something in
    it changed, and otherwise only when its stored expiry was pushed EXTEND_AFTER or longer ago (read from the row
    the request loaded anyway, ghnt_portal.sessions). A user idle for SESSION_IDLE_MINUTES is therefore always
    logged out, and one idle for a minute less may be.
    """

    EXTEND_AFTER = datetime.timedelta(minutes=1)

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        expires_at = getattr(session, "expires_at", None)  # None: not loaded, or no stored session
        if expires_at is not None and not session.modified:
            pushed_at = expires_at - datetime.timedelta(seconds=session.get_expiry_age())
            if timezone.now() - pushed_at >= self.EXTEND_AFTER:
                session.modified = True  # Django saves it below, with a fresh expiry
        return super().process_response(request, response)
