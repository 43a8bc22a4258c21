"""URLs of the self-scan of local teams (Dutch paths, English names)."""

from django.urls import path

from reporting.selfscans import framework_views, views

urlpatterns = [
    path("zelfscan/", framework_views.selfscan_home, name="selfscan_home"),
    path("zelfscan/landelijk/", framework_views.national_overview, name="selfscan_national"),
    path("zelfscan/kader/nieuw/", framework_views.framework_create, name="selfscan_framework_create"),
    path("zelfscan/kader/<int:pk>/", framework_views.framework_detail, name="selfscan_framework"),
    path("zelfscan/kader/<int:pk>/bewerken/", framework_views.framework_edit, name="selfscan_framework_edit"),
    path("zelfscan/kader/<int:pk>/thema/", framework_views.theme_add, name="selfscan_theme_add"),
    path("zelfscan/kader/<int:pk>/criterium/", framework_views.criterion_add, name="selfscan_criterion_add"),
    path("zelfscan/kader/<int:pk>/criterium/<int:criterion>/", framework_views.criterion_edit,
         name="selfscan_criterion_edit"),
    path("zelfscan/kader/<int:pk>/criterium/<int:criterion>/verwijderen/", framework_views.criterion_remove,
         name="selfscan_criterion_remove"),
    path("zelfscan/kader/<int:pk>/heatmap.csv", framework_views.heat_map_csv, name="selfscan_heat_map_csv"),
    path("zelfscan/kader/<int:pk>/scores.xlsx", framework_views.region_export, name="selfscan_region_export"),
    path("zelfscan/kader/<int:pk>/starten/", views.scan_create, name="selfscan_create"),
    path("zelfscan/<int:pk>/", views.scan_detail, name="selfscan_detail"),
    path("zelfscan/<int:pk>/bewerken/", views.scan_edit, name="selfscan_edit"),
    path("zelfscan/<int:pk>/indienen/", views.scan_submit, name="selfscan_submit"),
    path("zelfscan/<int:pk>/terugsturen/", views.scan_return, name="selfscan_return"),
    path("zelfscan/<int:pk>/nieuwe-versie/", views.scan_new_version, name="selfscan_new_version"),
    path("zelfscan/<int:pk>/formulier.xlsx", views.scan_form_download, name="selfscan_form"),
    path("zelfscan/<int:pk>/uploaden/", views.scan_upload, name="selfscan_upload"),
    path("zelfscan/<int:pk>/verbeterpunt/", views.improvement_add, name="selfscan_improvement_add"),
    path("zelfscan/verbeterpunt/<int:pk>/verwijderen/", views.improvement_remove,
         name="selfscan_improvement_remove"),
    path("zelfscan/verbeterpunt/<int:pk>/koppelen/", views.improvement_link, name="selfscan_improvement_link"),
    path("zelfscan/verbeterpunt/<int:pk>/maatregel/", views.improvement_measure,
         name="selfscan_improvement_measure"),
]
