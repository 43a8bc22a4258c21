"""Who may use the API: a logged-in or token user with a role (no role is a 403, as on the pages)."""

from rest_framework.permissions import BasePermission

from programme.access import scope_of


class HasRole(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and scope_of(request.user).has_any_role)
