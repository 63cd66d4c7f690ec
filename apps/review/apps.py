from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "apps.review"
    label = "review"

    def ready(self) -> None:
        # The apps below this one announce a change to a patient's status inputs; this app keeps
        # the stored status current, in the same transaction (apps/common/signals.py).
        from apps.common.signals import patient_status_stale

        from .services import status_on_stale

        patient_status_stale.connect(status_on_stale, dispatch_uid="review-status-refresh")
