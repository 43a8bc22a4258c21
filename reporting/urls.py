"""URLs of the reporting app (Dutch paths, English names)."""

app_name = "reporting"

urlpatterns: list = []
