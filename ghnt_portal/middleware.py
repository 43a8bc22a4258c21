"""Language selection: Dutch unless the user chose English with the language switch."""

from django.conf import settings
from django.utils import translation


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
