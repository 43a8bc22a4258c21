"""The programme app: the regional framework and who takes part in it."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Programme and organisations")

    def ready(self):
        from .portal.audit import connect_signals

        connect_signals()
        from .portal.third_party_messages import name_third_party_models_in_dutch

        name_third_party_models_in_dutch()
        from .portal.extensions import MenuItem, register_menu_item

        register_menu_item(MenuItem(_("Programme"), "programme:programme_list", lambda scope: scope.has_any_role, 10))
        register_menu_item(
            MenuItem(_("Organisations"), "programme:organisation_list", lambda scope: scope.has_any_role, 20)
        )
