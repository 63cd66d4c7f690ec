from django.urls import path

from . import views

app_name = "exercises"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.exercise_new, name="new"),
    path("<int:pk>/", views.exercise_detail, name="detail"),
]
