"""URLs of figure imports (Dutch paths, English names)."""

from django.urls import path

from reporting.imports import views

urlpatterns = [
    path("cijfers/importen/", views.import_list, name="import_list"),
    path("cijfers/importeren/", views.import_upload, name="import_upload"),
    path("cijfers/cbs-ophalen/", views.statline_fetch, name="statline_fetch"),
    path("cijfers/importen/<int:pk>/", views.import_detail, name="import_detail"),
    path("cijfers/importen/<int:pk>/kolommen/", views.import_mapping, name="import_mapping"),
    path("cijfers/importen/<int:pk>/bevestigen/", views.import_confirm, name="import_confirm"),
    path("cijfers/importen/<int:pk>/ongedaan-maken/", views.import_undo, name="import_undo"),
    path("cijfers/importen/<int:pk>/verwerpen/", views.import_discard, name="import_discard"),
]
