"""URLs of the reporting app (Dutch paths, English names)."""

from django.urls import path

from . import dashboard_views, reports_urls, views

app_name = "reporting"

urlpatterns = [
    path("cijfers/", views.figures_home, name="figures_home"),
    path("cijfers/regio/<int:region>/", views.figure_table, name="figure_table"),
    path("cijfers/regio/<int:region>/export.<str:fmt>", views.figure_export, name="figure_export"),
    path("cijfers/regio/<int:region>/invoeren/", views.figure_grid, name="figure_grid"),
    path("cijfers/regio/<int:region>/historie/", views.figure_history, name="figure_history"),
    path("cijfers/importen/", views.import_list, name="import_list"),
    path("cijfers/importeren/", views.import_upload, name="import_upload"),
    path("cijfers/importen/<int:pk>/", views.import_detail, name="import_detail"),
    path("cijfers/importen/<int:pk>/kolommen/", views.import_mapping, name="import_mapping"),
    path("cijfers/importen/<int:pk>/bevestigen/", views.import_confirm, name="import_confirm"),
    path("cijfers/importen/<int:pk>/ongedaan-maken/", views.import_undo, name="import_undo"),
    path("cijfers/importen/<int:pk>/verwerpen/", views.import_discard, name="import_discard"),
    path("perioden/", views.period_list, name="period_list"),
    path("perioden/nieuw/", views.period_create, name="period_create"),
    path("perioden/genereren/", views.period_generate, name="period_generate"),
    path("perioden/<int:pk>/bewerken/", views.period_update, name="period_update"),
    path("indicatoren/", views.indicator_list, name="indicator_list"),
    path("indicatoren/nieuw/", views.indicator_edit, name="indicator_create"),
    path("indicatoren/<int:pk>/bewerken/", views.indicator_edit, name="indicator_update"),
]

# Progress reports, bottlenecks and lessons (issue 5).
urlpatterns += reports_urls.urlpatterns

# Dashboards (issue 6) -------------------------------------------------------------------------------------------
urlpatterns += [
    path("dashboard/", dashboard_views.dashboard_home, name="dashboard"),
    path("dashboard/regio/<int:region>/", dashboard_views.steering_dashboard, name="steering_dashboard"),
    path("dashboard/regio/<int:region>/<slug:key>.csv", dashboard_views.steering_chart_csv,
         name="steering_chart_csv"),
    path("dashboard/gemeente/<int:pk>/", dashboard_views.municipality_dashboard, name="municipality_dashboard"),
    path("dashboard/gemeente/<int:pk>/<slug:key>.csv", dashboard_views.municipality_chart_csv,
         name="municipality_chart_csv"),
    path("dashboard/landelijk/", dashboard_views.national_dashboard, name="national_dashboard"),
    path("dashboard/landelijk/<slug:key>.csv", dashboard_views.national_chart_csv, name="national_chart_csv"),
]
