from django.apps import AppConfig


class ProgramTemplatesConfig(AppConfig):
    name = "apps.program_templates"
    label = "program_templates"
    verbose_name = "Program templates"
