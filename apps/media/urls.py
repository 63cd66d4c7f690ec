from django.urls import path

from . import views

app_name = "media"
urlpatterns = [
    path("media/<int:pk>/", views.media_file, name="file"),
    path("media/<int:pk>/thumbnail/", views.media_thumbnail, name="thumbnail"),
    path("media/<int:pk>/remove/", views.media_remove, name="remove"),
    path("library/<int:pk>/media/new/", views.exercise_media_new, name="exercise_new"),
    path(
        "prescriptions/<int:item_pk>/media/new/",
        views.prescription_media_new,
        name="prescription_new",
    ),
]
