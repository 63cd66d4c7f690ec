from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
