"""URLs of progress reports, bottlenecks and lessons (Dutch paths, English names); included by reporting/urls.py."""

from django.urls import path

from . import bottleneck_views, lesson_views, reports_views

urlpatterns = [
    path("rapportages/", reports_views.report_list_view, name="report_list"),
    path("rapportages/nieuw/", reports_views.report_create_view, name="report_create"),
    path("rapportages/<int:pk>/", reports_views.report_detail_view, name="report_detail"),
    path("rapportages/<int:pk>/bewerken/", reports_views.report_edit_view, name="report_edit"),
    path("rapportages/<int:pk>/indienen/", reports_views.report_submit_view, name="report_submit"),
    path("rapportages/<int:pk>/terugsturen/", reports_views.report_return_view, name="report_return"),
    path("rapportages/<int:pk>/goedkeuren/", reports_views.report_approve_view, name="report_approve"),
    path("rapportages/<int:pk>/nieuwe-versie/", reports_views.report_new_version_view, name="report_new_version"),
    path("rapportages/<int:pk>/afdrukken/", reports_views.report_print_view, name="report_print"),
    path("rapportages/<int:pk>/vragenlijst/", reports_views.report_questionnaire_view, name="report_questionnaire"),
    path("rapportages/<int:pk>/vragenlijst.xlsx", reports_views.report_questionnaire_export_view,
         name="report_questionnaire_export"),
    path("knelpunten/", bottleneck_views.bottleneck_list_view, name="bottleneck_list"),
    path("knelpunten/nieuw/", bottleneck_views.bottleneck_create_view, name="bottleneck_create"),
    path("knelpunten/<int:pk>/", bottleneck_views.bottleneck_detail_view, name="bottleneck_detail"),
    path("knelpunten/<int:pk>/bewerken/", bottleneck_views.bottleneck_edit_view, name="bottleneck_edit"),
    path("knelpunten/<int:pk>/escaleren/", bottleneck_views.bottleneck_escalate_view, name="bottleneck_escalate"),
    path("knelpunten/<int:pk>/besluit/", bottleneck_views.bottleneck_decide_view, name="bottleneck_decide"),
    path("knelpunten/<int:pk>/oplossen/", bottleneck_views.bottleneck_resolve_view, name="bottleneck_resolve"),
    path("lessen/", lesson_views.lesson_list_view, name="lesson_list"),
    path("lessen/nieuw/", lesson_views.lesson_create_view, name="lesson_create"),
    path("lessen/<int:pk>/bewerken/", lesson_views.lesson_edit_view, name="lesson_edit"),
]
