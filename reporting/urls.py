"""URLs of the reporting app: one include per sub-domain, all under the "reporting" namespace."""

from django.urls import include, path

app_name = "reporting"

urlpatterns = [
    path("", include(f"reporting.{room}.urls"))
    for room in ("figures", "breakdowns", "imports", "quality", "reports", "bottlenecks", "lessons", "dashboards",
                 "selfscans", "api", "locks", "comments")
]
