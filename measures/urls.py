"""URLs of the measures app (Dutch paths, English names)."""

app_name = "measures"

urlpatterns: list = []
