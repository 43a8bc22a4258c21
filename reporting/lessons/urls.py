"""URLs of lessons learned (Dutch paths, English names)."""

from django.urls import path

from reporting.lessons import views

urlpatterns = [
    path("lessen/", views.lesson_list_view, name="lesson_list"),
    path("lessen/nieuw/", views.lesson_create_view, name="lesson_create"),
    path("lessen/<int:pk>/bewerken/", views.lesson_edit_view, name="lesson_edit"),
]
