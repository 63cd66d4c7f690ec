"""Who the record is about: the Patient and their clinic."""

from apps.accounts.models import Clinic
from apps.patients.models import Patient

from .base import Ids, Resource, patient_id


def organization(clinic: Clinic) -> Resource:
    return {"resourceType": "Organization", "id": f"clinic-{clinic.pk}", "name": clinic.name}


def patient_resource(patient: Patient, ids: Ids) -> Resource:
    """Who the record is about, and no more than a receiving system needs to match them: the
    login email, time zone and reminder settings stay in Greenlight; gender is not collected."""
    return {
        "resourceType": "Patient",
        "id": patient_id(patient.pk),
        "identifier": [
            {"use": "secondary", "system": ids.patient_id_system(), "value": str(patient.pk)}
        ],
        "name": [{"text": patient.user.full_name}],
        "birthDate": patient.date_of_birth.isoformat(),
        "managingOrganization": ids.ref_to("Organization", f"clinic-{patient.clinic_id}"),
    }
