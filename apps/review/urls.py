from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("triage/", views.triage, name="triage"),
]

# Under the "painlogs" namespace (config/urls.py): the patient's Today, which reads their status.
painlogs_pages = [
    path("today/", views.today, name="today"),
]

# Under the "patients" namespace (config/urls.py): the roster, a patient's page and their trend.
patient_pages = [
    path("", views.patient_list, name="list"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/trend/", views.patient_trend, name="trend"),
]
