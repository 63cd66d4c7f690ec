from datetime import date, time, timedelta
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.accounts.models import Clinic, User
from apps.exercises.models import Exercise
from apps.media.services import media_upload
from apps.painlogs.models import Workout
from apps.patients.models import Patient
from apps.programs.models import PrescribedExercise, Program

PASSWORD = "correct-horse-battery"
# Every enrolled test user's authenticator app holds this secret; tests compute its codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_enrol(user, secret: str = TOTP_SECRET):
    """Give the user an authenticator app (allauth's TOTP), as enrolment would."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


def totp_code(secret: str = TOTP_SECRET, *, at: float | None = None) -> str:
    """The code an authenticator app shows now (or at ``at``), computed as RFC 6238 says."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int((at or time.time()) // 30)))


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    timezone = "Europe/London"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = User.Role.CLINICIAN
    clinic = factory.SubFactory(ClinicFactory)
    timezone = "Europe/London"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=User.Role.PATIENT)
    clinic = factory.SelfAttribute("user.clinic")
    date_of_birth = date(1988, 5, 17)
    condition = "fai"
    affected_side = "right"
    reminder_time = time(18, 0)

    @factory.post_generation
    def care_team(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.care_team.set(extracted)


class ExerciseFactory(factory.django.DjangoModelFactory):
    """A clinic's own exercise (the shared library comes from the data migration)."""

    class Meta:
        model = Exercise

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Wall sit {n}")
    slug = factory.Sequence(lambda n: f"wall-sit-{n}")
    region = "hip"
    instructions = "Sit against a wall with your knees bent. Hold, then stand up slowly."
    dose_kind = "hold"
    default_sets = 3
    default_target_low = 20
    default_target_high = 30


def library_exercise(slug: str = "banded-bridge-knees-out") -> Exercise:
    """A shared-library exercise, loaded by the data migration into every test database."""
    return Exercise.objects.get(clinic__isnull=True, slug=slug)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    patient = factory.SubFactory(PatientFactory)
    created_by = factory.LazyAttribute(lambda o: o.patient.care_team.first())
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    sessions_per_week = 3
    pain_ceiling = 3
    green_max = 2


class PrescribedExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrescribedExercise

    program = factory.SubFactory(ProgramFactory)
    exercise = factory.LazyFunction(lambda: Exercise.objects.filter(clinic__isnull=True).first())
    dose_kind = factory.SelfAttribute("exercise.dose_kind")
    sets = 3
    target_low = 8
    target_high = 10


class WorkoutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workout

    patient = factory.SubFactory(PatientFactory)
    program = None
    performed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    local_date = factory.LazyAttribute(lambda o: o.performed_at.date())
    pain_during = 2
    pain_ceiling = 3
    green_max = 2
    light = "green"


def image_bytes(fmt: str = "JPEG", *, size=(64, 48), exif=None, color=(200, 30, 30)) -> bytes:
    """A small real image made by Pillow; ``exif`` (an Image.Exif) is written into it."""
    out = BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(out, format=fmt, **options)
    return out.getvalue()


# The first bytes of an MP4 as phones write it ("ftyp" box, brand mp42): enough for the type.
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def prescription_photo(clinician, item, caption: str = "Knee over the toes"):
    """A photo filmed in clinic for ``item``, through the real service."""
    return media_upload(
        user=clinician, file=upload(image_bytes()), prescribed=item, caption=caption
    )
