"""What every resource shares: ids, fullUrls, references, code systems, times."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

Resource = dict[str, Any]

# Fixed for ever: changing it would change every exported id.
NAMESPACE = UUID("5b0e7f4e-6a53-4f0e-9d1c-2a7c3f1e8b42")
GREENLIGHT = "https://greenlight.example.org/fhir"
PAIN_TIMING_SYSTEM = f"{GREENLIGHT}/CodeSystem/pain-timing"
SCORE_SYSTEM = f"{GREENLIGHT}/CodeSystem/outcome-score"
LOINC = "http://loinc.org"
PAIN_LOINC = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
UCUM = "http://unitsofmeasure.org"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}


@dataclass(frozen=True)
class Ids:
    """Where the record comes from: ``site`` is the installation's address (SITE_URL)."""

    site: str

    def full_url(self, resource_type: str, resource_id: str) -> str:
        name = f"{self.site.rstrip('/')}/{resource_type}/{resource_id}"
        return f"urn:uuid:{uuid5(NAMESPACE, name)}"

    def ref(self, resource: Resource) -> dict[str, str]:
        return {"reference": self.full_url(resource["resourceType"], resource["id"])}

    def ref_to(self, resource_type: str, resource_id: str) -> dict[str, str]:
        return {"reference": self.full_url(resource_type, resource_id)}

    def patient_id_system(self) -> str:
        # The collection the id is valid in: the patient is /api/v1/patients/<value>/ there.
        return f"{self.site.rstrip('/')}/api/v1/patients"


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def patient_id(patient_pk: int) -> str:
    return f"patient-{patient_pk}"


def program_id(program_pk: int) -> str:
    return f"program-{program_pk}"
