"""URLs of the measures app (Dutch paths, English names)."""

from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("maatregelen/", views.measure_list, name="measure_list"),
    path("maatregelen/export/<str:fmt>/", views.measure_export, name="measure_export"),
    path("maatregelen/nieuw/", views.measure_create, name="measure_create"),
    path("maatregelen/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("maatregelen/<int:pk>/bewerken/", views.measure_update, name="measure_update"),
    path("maatregelen/<int:pk>/verwijderen/", views.measure_delete, name="measure_delete"),
    path("maatregelen/<int:pk>/geschiedenis/", views.measure_history, name="measure_history"),
    path("maatregelen/<int:pk>/beoordelen/", views.measure_assess, name="measure_assess"),
    path("maatregelen/<int:pk>/voortgang/nieuw/", views.update_create, name="update_create"),
    path("voortgang/<int:pk>/bewerken/", views.update_edit, name="update_edit"),
    path("maatregelen/<int:pk>/deelnemers/nieuw/", views.participation_create, name="participation_create"),
    path("deelnames/<int:pk>/bewerken/", views.participation_update, name="participation_update"),
    path("deelnames/<int:pk>/verwijderen/", views.participation_delete, name="participation_delete"),
    path("financiering/", views.funding_home, name="funding_home"),
    path("financiering/<int:pk>/", views.funding, name="funding"),
]
