"""URLs of the dashboards and the CSV of each chart (Dutch paths, English names)."""

from django.urls import path

from reporting.dashboards import views

urlpatterns = [
    path("dashboard/", views.dashboard_home, name="dashboard"),
    path("dashboard/regio/<int:region>/", views.steering_dashboard, name="steering_dashboard"),
    path("dashboard/regio/<int:region>/<slug:key>.csv", views.steering_chart_csv, name="steering_chart_csv"),
    path("dashboard/gemeente/<int:pk>/", views.municipality_dashboard, name="municipality_dashboard"),
    path("dashboard/gemeente/<int:pk>/<slug:key>.csv", views.municipality_chart_csv, name="municipality_chart_csv"),
    path("dashboard/landelijk/", views.national_dashboard, name="national_dashboard"),
    path("dashboard/landelijk/<slug:key>.csv", views.national_chart_csv, name="national_chart_csv"),
]
