from django.urls import path

from . import views

urlpatterns = [
    path("workouts/<int:pk>/followup/", views.followup, name="followup"),
    path("history/", views.history, name="history"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/soreness/", views.activity_soreness, name="activity_soreness"),
]
