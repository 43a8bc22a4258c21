"""URLs of the reporting app (Dutch paths, English names)."""

from . import reports_urls

app_name = "reporting"

urlpatterns: list = []

# Progress reports, bottlenecks and lessons (issue 5).
urlpatterns += reports_urls.urlpatterns
