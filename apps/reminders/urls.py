from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("<int:pk>/send-again/", views.notification_send_again, name="send_again"),
    path("checks/<int:pk>/run-again/", views.job_run_again, name="job_run_again"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
