"""Gunicorn settings for the container: ``gunicorn -c config/gunicorn.py``."""

import os

wsgi_app = "config.wsgi:application"
bind = "0.0.0.0:8000"
# About two per core; each worker holds its own database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A request that takes longer than this is stuck: the worker is restarted. It stays above the
# database's own deadline (DATABASE_REQUEST_DEADLINE, 25 s), which answers a 503 first.
timeout = 60
graceful_timeout = 30
accesslog = "-"
errorlog = "-"
# Addresses of the TLS proxy, whose X-Forwarded-* headers gunicorn may believe.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Reset, invitation and unsubscribe links carry one-time tokens in their path: redact them.
logger_class = "apps.common.logging.RedactingGunicornLogger"
