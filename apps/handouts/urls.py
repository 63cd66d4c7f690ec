from django.urls import path

from . import views

app_name = "handouts"
urlpatterns = [
    path("programs/<int:pk>/handout/", views.handout_page, name="page"),
    path("programs/<int:pk>/handout.pdf", views.handout_pdf_view, name="pdf"),
    path("programs/<int:pk>/handout/email/", views.handout_email_view, name="email"),
]
