"""URLs of the data-quality pages (Dutch paths, English names)."""

from django.urls import path

from reporting.quality import views

urlpatterns = [
    path("cijfers/regio/<int:region>/kwaliteit/", views.quality_overview, name="quality_overview"),
    path("cijfers/regio/<int:region>/kwaliteit/markering/<int:pk>/", views.flag_explain_view, name="flag_explain"),
]
