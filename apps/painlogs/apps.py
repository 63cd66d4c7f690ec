from django.apps import AppConfig


class PainlogsConfig(AppConfig):
    name = "apps.painlogs"
    label = "painlogs"
