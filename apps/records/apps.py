from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """A patient's record as a whole: the export behind their right of access and portability."""

    name = "apps.records"
    label = "records"
