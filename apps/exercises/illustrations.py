"""Where an exercise's line drawing lives: one SVG per library exercise, under static/.

The drawings are the project's own (README, Licences). A clinic's own exercise has none; pages
then show the clinic's uploaded picture, if any, or nothing.
"""

from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

ILLUSTRATIONS = "exercises"


def illustration_path(slug: str) -> str:
    """The static path an exercise's drawing has, whether or not it exists."""
    return f"{ILLUSTRATIONS}/{slug}.svg"


@cache
def _exists(path: str) -> bool:
    if finders.find(path) is None:
        return False
    # Under the manifest storage a drawing added after collectstatic has no hashed name, and
    # {% static %} would raise: until the next collectstatic it is treated as absent.
    try:
        staticfiles_storage.url(path)
    except ValueError:
        return False
    return True


def illustration_for(exercise) -> str | None:
    """The static path of a library exercise's drawing, or None (clinic exercises, or none yet)."""
    if exercise.clinic_id is not None:
        return None
    path = illustration_path(exercise.slug)
    if settings.DEBUG:
        # While drawing, a new file shows without a restart.
        return path if finders.find(path) else None
    return path if _exists(path) else None
