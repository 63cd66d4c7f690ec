from apps.program_templates.models import ProgramTemplate
from apps.program_templates.services import template_create
from apps.programs.services import ItemInput
from tests.factories import library_exercise

FAI_STARTER = "Hip strength, phase 1 (FAI)"


def starter(name: str = FAI_STARTER) -> ProgramTemplate:
    return ProgramTemplate.objects.get(clinic__isnull=True, name=name)


def clinic_template(clinician, name="Post-op week 2", slugs=("hip-hike", "side-plank-knee")):
    return template_create(
        clinician=clinician,
        name=name,
        items=[ItemInput(exercise=library_exercise(s), sets=2) for s in slugs],
        sessions_per_week=4,
        pain_ceiling=4,
        green_max=2,
    )
