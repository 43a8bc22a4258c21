"""Navigation that fits the user's roles, for the base template."""

from django.urls import reverse

from ..access import scope_of
from .extensions import menu_items


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = scope_of(user)
    current = request.path
    nav = []
    for item in menu_items:
        if item.visible(scope):
            url = reverse(item.url_name)
            nav.append({"label": item.label, "url": url, "active": current.startswith(url)})
    return {"nav_items": nav, "scope": scope}
