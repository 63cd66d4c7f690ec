from django.urls import path

from . import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_new, name="new"),
    path("triage/", views.triage, name="triage"),
    path("clinic/", views.clinic_directory_view, name="clinic_directory"),
    path("<int:pk>/care-team/", views.care_team_edit, name="care_team"),
    path("me/reminders/", views.preferences, name="preferences"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/trend/", views.patient_trend, name="trend"),
]
