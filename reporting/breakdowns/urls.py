"""URLs of the breakdowns by form of violence (Dutch paths, English names)."""

from django.urls import path

from reporting.breakdowns import views

urlpatterns = [
    path("cijfers/regio/<int:region>/geweldsvormen/", views.breakdown_table, name="breakdown_table"),
    path("cijfers/regio/<int:region>/geweldsvormen/export.<str:fmt>", views.breakdown_export,
         name="breakdown_export"),
    path("cijfers/regio/<int:region>/geweldsvormen/invoeren/", views.breakdown_grid, name="breakdown_grid"),
]
