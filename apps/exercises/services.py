from django.utils.text import slugify

from apps.accounts.models import User
from apps.common.services import model_validate_and_save, require

from .models import Exercise


def exercise_create(
    *,
    clinician: User,
    name: str,
    region: str,
    instructions: str,
    dose_kind: str,
    default_sets: int,
    default_target_low: int,
    default_target_high: int,
    default_rep_hold_seconds: int | None = None,
    cautions: list[str] | None = None,
) -> Exercise:
    """A clinic's own exercise: visible to its clinicians and patients, never to other clinics."""
    require(
        clinician.is_clinician and clinician.clinic_id is not None,
        "Only a clinic's clinicians can add exercises.",
    )
    require(
        default_target_low <= default_target_high,
        "The low end of the range must not exceed the high end.",
        field="default_target_high",
    )
    exercise = Exercise(
        clinic_id=clinician.clinic_id,
        name=name,
        # The slug is only an internal handle; a name without Latin letters still needs one.
        slug=slugify(name)[:120] or "clinic-exercise",
        region=region,
        instructions=instructions,
        dose_kind=dose_kind,
        default_sets=default_sets,
        default_target_low=default_target_low,
        default_target_high=default_target_high,
        default_rep_hold_seconds=default_rep_hold_seconds,
        cautions=list(cautions or []),
    )
    return model_validate_and_save(exercise)
