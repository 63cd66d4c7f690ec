from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("messages/", views.my_thread, name="mine"),
    path("patients/<int:pk>/messages/", views.thread, name="thread"),
    path("patients/<int:pk>/notes/new/", views.visit_note_new, name="note_new"),
    path("programs/<int:pk>/cards/", views.program_cards_edit, name="program_cards"),
    path("education/", views.card_library, name="cards"),
    path("education/new/", views.card_new, name="card_new"),
    path("education/<int:pk>/", views.card_detail, name="card"),
]
