from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("patients/<int:pk>/audit/", views.patient_audit, name="patient"),
    path("patients/<int:pk>/emergency-access/", views.emergency_access, name="emergency_access"),
    path("me/record-views/", views.my_record_views, name="record_views"),
]
