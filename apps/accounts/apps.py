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

        from allauth.mfa import signals as mfa_signals

        from . import mfa

        for signal, receiver in [
            (mfa_signals.authenticator_used, mfa.on_authenticator_used),
            (mfa_signals.authenticator_added, mfa.on_authenticator_added),
            (mfa_signals.authenticator_removed, mfa.on_authenticator_removed),
            (mfa_signals.authentication_failed, mfa.on_authentication_failed),
        ]:
            signal.connect(receiver, dispatch_uid=f"greenlight_{receiver.__name__}")
