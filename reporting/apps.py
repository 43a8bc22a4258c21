"""The reporting app: periods, figures, progress reports and what the region shows."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        # Progress reports, bottlenecks and lessons (issue 5): menu items, home sections, demo data.
        from .reports_wiring import register as register_reports

        register_reports()
