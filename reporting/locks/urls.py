"""URLs of a region's locked periods (Dutch paths, English names)."""

from django.urls import path

from reporting.locks import views

urlpatterns = [
    path("cijfers/regio/<int:region>/vergrendeld/", views.lock_list, name="lock_list"),
    path("cijfers/regio/<int:region>/vergrendeld/<int:pk>/ontgrendelen/", views.lock_unlock, name="lock_unlock"),
    path("cijfers/regio/<int:region>/vergrendeld/<int:pk>/opnieuw/", views.lock_again, name="lock_again"),
]
