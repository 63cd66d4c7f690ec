from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"

    def ready(self):
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import receivers

        for signal, receiver in [
            (user_logged_in, receivers.on_logged_in),
            (user_login_failed, receivers.on_login_failed),
            (mfa_signals.authenticator_used, receivers.on_mfa_used),
            (mfa_signals.authentication_failed, receivers.on_mfa_failed),
        ]:
            signal.connect(receiver, dispatch_uid=f"greenlight_audit_{receiver.__name__}")
