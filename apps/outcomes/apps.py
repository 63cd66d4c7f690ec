from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "apps.outcomes"
    label = "outcomes"
    verbose_name = "Outcome questionnaires"

    def ready(self) -> None:
        from apps.common.signals import program_ended

        from . import services

        def _discharge(sender, program, **kwargs):
            services.discharge_open(program)

        program_ended.connect(_discharge, weak=False, dispatch_uid="outcomes_discharge")
