from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.crypto import salted_hmac

from apps.common.models import TimeStampedModel
from apps.common.timezones import validate_timezone


class Clinic(TimeStampedModel):
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])

    def __str__(self):
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=User.Role.CLINIC_ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        CLINICIAN = "clinician", "Clinician"
        CLINIC_ADMIN = "clinic_admin", "Clinic admin"
        PATIENT = "patient", "Patient"

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="Dates and reminder times are shown in this zone.",
    )
    email_reminders = models.BooleanField(
        default=True, help_text="Send reminders by email too (in-app ones always show)."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=dj_timezone.now)
    session_generation = models.PositiveIntegerField(
        default=0, editable=False, help_text="Raised to sign the user out of every session."
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret=None):
        """Django's hash of the password, plus the session generation once it was raised.

        Every session stores this hash and dies when it changes: with a new password, as in
        Django, and when ``user_sessions_end`` raises the generation (deactivation), which a
        later reactivation does not undo. Generation 0 keeps Django's value, so sessions opened
        before the field existed stay valid.
        """
        if not self.session_generation:
            # Private in Django, so absent from the stubs.
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "apps.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_clinician(self) -> bool:
        """Clinic admins are clinicians too: they treat patients and manage colleagues."""
        return self.role in (self.Role.CLINICIAN, self.Role.CLINIC_ADMIN)

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == self.Role.CLINIC_ADMIN

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    @property
    def mfa_required(self) -> bool:
        """Clinicians, clinic admins and staff sign in with a second factor; for patients it is
        optional (offered on their preferences page)."""
        return self.is_clinician or self.is_staff or self.is_superuser
