"""URLs of progress reports (Dutch paths, English names)."""

from django.urls import path

from reporting.reports import views

urlpatterns = [
    path("rapportages/", views.report_list_view, name="report_list"),
    path("rapportages/nieuw/", views.report_create_view, name="report_create"),
    path("rapportages/<int:pk>/", views.report_detail_view, name="report_detail"),
    path("rapportages/<int:pk>/bewerken/", views.report_edit_view, name="report_edit"),
    path("rapportages/<int:pk>/indienen/", views.report_submit_view, name="report_submit"),
    path("rapportages/<int:pk>/terugsturen/", views.report_return_view, name="report_return"),
    path("rapportages/<int:pk>/goedkeuren/", views.report_approve_view, name="report_approve"),
    path("rapportages/<int:pk>/nieuwe-versie/", views.report_new_version_view, name="report_new_version"),
    path("rapportages/<int:pk>/afdrukken/", views.report_print_view, name="report_print"),
    path("rapportages/<int:pk>/vragenlijst/", views.report_questionnaire_view, name="report_questionnaire"),
    path("rapportages/<int:pk>/vragenlijst.xlsx", views.report_questionnaire_export_view,
         name="report_questionnaire_export"),
]
