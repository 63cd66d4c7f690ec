from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("patients/<int:patient_pk>/programs/new/", views.program_new, name="new"),
    path("programs/<int:pk>/edit/", views.program_edit, name="edit"),
    path("programs/<int:pk>/end/", views.program_stop, name="end"),
    path("prescriptions/<int:item_pk>/apply/", views.suggestion_apply_view, name="apply"),
]
