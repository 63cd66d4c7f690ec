from .base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Local runs keep the plain static storage so that no collectstatic step is needed.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Serve static files straight from the source folders: no collectstatic step locally.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
