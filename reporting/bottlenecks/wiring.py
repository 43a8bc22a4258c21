"""How bottlenecks plug into the shared pages: the menu item."""

from django.utils.translation import gettext_lazy as _

from programme.portal.extensions import MenuItem, register_menu_item


def register() -> None:
    register_menu_item(
        MenuItem(_("Bottlenecks"), "reporting:bottleneck_list",
                 lambda scope: scope.is_regional_reader, 55)
    )
