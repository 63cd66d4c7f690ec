from django.urls import path

from . import views

app_name = "program_templates"
urlpatterns = [
    path("program-templates/", views.template_list, name="list"),
    path("program-templates/<int:pk>/edit/", views.template_edit, name="edit"),
    path("program-templates/<int:pk>/delete/", views.template_delete_view, name="delete"),
    path(
        "programs/<int:pk>/save-as-template/",
        views.template_from_program_view,
        name="from_program",
    ),
]
