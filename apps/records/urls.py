from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("me/export/", views.my_export, name="my_export"),
    path("me/export/summary/", views.my_export_summary, name="my_export_summary"),
    path("patients/<int:pk>/export/", views.patient_export, name="patient_export"),
    path("patients/<int:pk>/erase/", views.patient_erase_view, name="erase"),
    path(
        "patients/<int:pk>/export/summary/",
        views.patient_export_summary,
        name="patient_export_summary",
    ),
]
