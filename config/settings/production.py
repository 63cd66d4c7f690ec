from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# A year of HSTS, the length browsers' preload lists ask for; lower it while first trying HTTPS.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain, subdomains included, to HTTPS in every browser for
    # months even after it is withdrawn: the operator opts in, so "not preloaded" is no warning.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# From base.py, so local runs and tests send the same: the HttpOnly session cookie, X-Frame-Options
# DENY, nosniff, Referrer-Policy and Cross-Origin-Opener-Policy same-origin, and the CSP.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
