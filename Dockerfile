# Greenlight's image: the web app (gunicorn), and with another command the Celery worker or beat.

# Builder: a virtualenv with exactly the locked, hash-checked dependencies, then the project.
FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt
COPY pyproject.toml README.md ./
COPY apps ./apps
COPY config ./config
RUN pip install --no-deps .

# Final image: the virtualenv and the code the app runs, no build tools and no tests.
FROM python:3.11-slim
# PYTHONPATH: whatever the command, apps/ and config/ are imported from /app, next to templates/
# and static/ (settings find those from config/'s place), not from the copy in the virtualenv.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN useradd --create-home --uid 10001 greenlight
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY manage.py ./
COPY apps ./apps
COPY config ./config
COPY templates ./templates
COPY static ./static
# Static files are collected once, at build time. The key and console email exist only for this
# command: at run time production settings require real ones. var/media exists in the image so
# that a volume mounted there starts out owned by the app's user.
RUN DJANGO_SECRET_KEY=collectstatic-build-only EMAIL_URL=consolemail:// \
    GREENLIGHT_ALLOW_CONSOLE_EMAIL=1 python manage.py collectstatic --noinput \
    && mkdir -p var/media && chown -R greenlight:greenlight var

USER greenlight
EXPOSE 8000
# slim has no curl: the check is a few lines of Python's urllib.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "/app/config/healthcheck.py"]
CMD ["gunicorn", "-c", "config/gunicorn.py"]
