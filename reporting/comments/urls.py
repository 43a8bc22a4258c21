"""URLs of comments on figures (Dutch paths, English names)."""

from django.urls import path

from reporting.comments import views

urlpatterns = [
    path("cijfers/regio/<int:region>/opmerkingen/nieuw/", views.comment_add, name="comment_add"),
]
