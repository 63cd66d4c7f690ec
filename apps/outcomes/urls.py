from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("programs/<int:pk>/questionnaires/", views.program_questionnaires, name="program"),
    path("questionnaire-schedules/<int:pk>/remove/", views.schedule_remove, name="schedule_remove"),
    path("questionnaires/<int:pk>/", views.answer, name="answer"),
    path("clinic/questionnaires/", views.definitions, name="definitions"),
    path("questionnaire-responses/<int:pk>/", views.response_detail, name="response"),
]
