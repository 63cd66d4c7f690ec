from django.apps import AppConfig


class HandoutsConfig(AppConfig):
    """A program on paper: the printable page and its PDF, and the email that links to them."""

    name = "apps.handouts"
    label = "handouts"
