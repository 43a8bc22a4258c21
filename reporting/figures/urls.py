"""URLs of the figures pages and their reference data (Dutch paths, English names)."""

from django.urls import path

from reporting.figures import reference_views, views

urlpatterns = [
    path("cijfers/", views.figures_home, name="figures_home"),
    path("cijfers/regio/<int:region>/", views.figure_table, name="figure_table"),
    path("cijfers/regio/<int:region>/export.<str:fmt>", views.figure_export, name="figure_export"),
    path("cijfers/regio/<int:region>/invoeren/", views.figure_grid, name="figure_grid"),
    path("cijfers/regio/<int:region>/historie/", views.figure_history, name="figure_history"),
    path("cijfers/regio/<int:region>/volledigheid/", views.figure_completeness, name="figure_completeness"),
    path("perioden/", reference_views.period_list, name="period_list"),
    path("perioden/nieuw/", reference_views.period_create, name="period_create"),
    path("perioden/genereren/", reference_views.period_generate, name="period_generate"),
    path("perioden/<int:pk>/bewerken/", reference_views.period_update, name="period_update"),
    path("indicatoren/", reference_views.indicator_list, name="indicator_list"),
    path("indicatoren/nieuw/", reference_views.indicator_edit, name="indicator_create"),
    path("indicatoren/<int:pk>/bewerken/", reference_views.indicator_edit, name="indicator_update"),
]
