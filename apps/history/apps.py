from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "apps.history"
    label = "history"
    verbose_name = "Change history"

    def ready(self):
        from apps.audit.selectors import trail_source_register

        from .selectors import change_trail

        trail_source_register("change", change_trail)
