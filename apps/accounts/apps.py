from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .lockout import login_failed
        from .middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="greenlight_session_started")
        user_login_failed.connect(login_failed, dispatch_uid="greenlight_login_failed")
