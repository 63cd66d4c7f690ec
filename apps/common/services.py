from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)


def model_validate_and_save(instance: M, *, exclude: list[str] | None = None) -> M:
    """``full_clean`` then save: every service write goes through the model's own validation."""
    instance.full_clean(exclude=exclude)
    instance.save()
    return instance


def require(condition: bool, message: str, *, field: str | None = None) -> None:
    """Raise a ValidationError tied to a field (so forms and the API show it there)."""
    if not condition:
        raise ValidationError({field: message} if field else message)
