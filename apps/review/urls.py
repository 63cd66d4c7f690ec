from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("triage/", views.triage, name="triage"),
]

# Under the "patients" namespace (config/urls.py): the roster, a patient's page and their trend.
patient_pages = [
    path("", views.patient_list, name="list"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/trend/", views.patient_trend, name="trend"),
]
