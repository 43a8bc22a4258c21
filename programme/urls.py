"""URLs of the framework pages (Dutch paths, English names)."""

from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("programma/", views.programme_list, name="programme_list"),
    path("programma/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programma/<int:pk>/actielijnen/nieuw/", views.action_line_create, name="action_line_create"),
    path("actielijnen/<int:pk>/bewerken/", views.action_line_update, name="action_line_update"),
    path("actielijnen/<int:pk>/doelen/nieuw/", views.goal_create, name="goal_create"),
    path("doelen/<int:pk>/bewerken/", views.goal_update, name="goal_update"),
    path("actielijnen/<int:pk>/themas/nieuw/", views.theme_create, name="theme_create"),
    path("themas/<int:pk>/bewerken/", views.theme_update, name="theme_update"),
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="organisation_detail"),
]
