"""The measures app: what the region does, and how it is going."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Measures")

    def ready(self):
        from programme.portal.extensions import (
            MenuItem,
            PageSection,
            register_home_section,
            register_menu_item,
            register_organisation_section,
        )

        from . import sections

        # The national team reads approved reports, not the measure pages: regional roles only.
        register_menu_item(
            MenuItem(_("Measures"), "measures:measure_list", lambda scope: scope.is_regional_reader, 30)
        )
        register_home_section(PageSection(sections.home_section, order=30))
        register_organisation_section(PageSection(sections.organisation_section, order=30))
