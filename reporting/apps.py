"""The reporting app: figures and their imports, progress reports, bottlenecks, lessons and the dashboards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Each sub-domain that adds to the shared pages (menu, home page, goal values) has a `wiring.register()`.
WIRED_ROOMS = ("figures", "reports", "bottlenecks", "dashboards", "selfscans")


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from importlib import import_module

        for room in WIRED_ROOMS:
            import_module(f"reporting.{room}.wiring").register()
