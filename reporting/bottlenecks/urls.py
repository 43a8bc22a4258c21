"""URLs of bottlenecks (knelpunten) (Dutch paths, English names)."""

from django.urls import path

from reporting.bottlenecks import views

urlpatterns = [
    path("knelpunten/", views.bottleneck_list_view, name="bottleneck_list"),
    path("knelpunten/nieuw/", views.bottleneck_create_view, name="bottleneck_create"),
    path("knelpunten/<int:pk>/", views.bottleneck_detail_view, name="bottleneck_detail"),
    path("knelpunten/<int:pk>/bewerken/", views.bottleneck_edit_view, name="bottleneck_edit"),
    path("knelpunten/<int:pk>/escaleren/", views.bottleneck_escalate_view, name="bottleneck_escalate"),
    path("knelpunten/<int:pk>/besluit/", views.bottleneck_decide_view, name="bottleneck_decide"),
    path("knelpunten/<int:pk>/oplossen/", views.bottleneck_resolve_view, name="bottleneck_resolve"),
]
