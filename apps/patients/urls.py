from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.patient_new, name="new"),
    path("clinic/", views.clinic_directory_view, name="clinic_directory"),
    path("<int:pk>/care-team/", views.care_team_edit, name="care_team"),
    path("me/reminders/", views.preferences, name="preferences"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
]
