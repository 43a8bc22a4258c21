"""URLs of the read API under /api/v1/ (names prefixed api-), its schema, and the pages about it."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from reporting.api import schema, token_views, views

assert schema.TokenAuthenticationScheme  # registered with drf-spectacular by importing it

router = SimpleRouter()
for prefix, viewset in [
    ("regions", views.RegionViewSet),
    ("organisations", views.OrganisationViewSet),
    ("programmes", views.ProgrammeViewSet),
    ("action-lines", views.ActionLineViewSet),
    ("goals", views.GoalViewSet),
    ("themes", views.ThemeViewSet),
    ("national-measures", views.NationalMeasureViewSet),
    ("indicators", views.IndicatorViewSet),
    ("periods", views.PeriodViewSet),
    ("measures", views.MeasureViewSet),
    ("figures", views.FigureViewSet),
    ("reports", views.ReportViewSet),
    ("bottlenecks", views.BottleneckViewSet),
    ("lessons", views.LessonViewSet),
]:
    router.register(f"api/v1/{prefix}", viewset, basename=f"api-{prefix}")

urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/", views.api_docs_view, name="api_docs"),
    path("api-sleutels/", token_views.token_list_view, name="api_token_list"),
    path("api-sleutels/<int:pk>/intrekken/", token_views.token_revoke_view, name="api_token_revoke"),
    *router.urls,
]
