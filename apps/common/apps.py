from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "apps.common"
    label = "common"

    def ready(self) -> None:
        # Registers the API's OpenAPI extensions (drf-spectacular finds them by subclassing).
        from . import openapi  # noqa: F401
