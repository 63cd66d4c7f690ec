from django.urls import include, path
from rest_framework.routers import DefaultRouter

from apps.accounts.api import (
    LogoutView,
    MeView,
    MfaTokenView,
    TokenListView,
    TokenRevokeView,
    TokenView,
)
from apps.audit.api import EmergencyAccessView, PatientAuditView
from apps.care.api import PatientMessagesReadView, PatientMessagesView
from apps.exercises.api import ExerciseViewSet, ProgressionViewSet
from apps.interop.api import PatientFhirView, QuestionnaireFhirView
from apps.media.api import ExerciseMediaView, MediaDetailView, PrescriptionMediaView
from apps.outcomes.api import (
    PatientResponsesView,
    ProgramSchedulesView,
    QuestionnaireListView,
    ResponseCompleteView,
    ResponseDetailView,
    ScheduleDetailView,
)
from apps.painlogs.api import ActivityViewSet, WorkoutViewSet
from apps.patients.api import PatientViewSet
from apps.program_templates.api import ProgramTemplateViewSet
from apps.programs.api import PatientProgramsView, PrescriptionApplyView, ProgramViewSet
from apps.records.api import MyExportView, PatientExportView
from apps.review.api import PatientStatusView, PatientTrendView, TriageView

router = DefaultRouter()
router.register("progressions", ProgressionViewSet, basename="progression")
router.register("exercises", ExerciseViewSet, basename="exercise")
router.register("patients", PatientViewSet, basename="patient")
router.register("programs", ProgramViewSet, basename="program")
router.register("program-templates", ProgramTemplateViewSet, basename="program-template")
router.register("workouts", WorkoutViewSet, basename="workout")
router.register("activities", ActivityViewSet, basename="activity")

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/token/mfa/", MfaTokenView.as_view(), name="token-mfa"),
    path("auth/tokens/", TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<str:token_key>/", TokenRevokeView.as_view(), name="token-revoke"),
    path("auth/logout/", LogoutView.as_view(), name="logout"),
    path("me/", MeView.as_view(), name="me"),
    path(
        "prescriptions/<int:pk>/apply/",
        PrescriptionApplyView.as_view(),
        name="prescription-apply",
    ),
    path("me/export/", MyExportView.as_view(), name="me-export"),
    path("patients/<int:pk>/export/", PatientExportView.as_view(), name="patient-export"),
    path("patients/<int:pk>/audit/", PatientAuditView.as_view(), name="patient-audit"),
    path(
        "patients/<int:pk>/emergency-access/",
        EmergencyAccessView.as_view(),
        name="patient-emergency-access",
    ),
    path("patients/<int:pk>/fhir/", PatientFhirView.as_view(), name="patient-fhir"),
    path(
        "fhir/Questionnaire/<int:pk>",
        QuestionnaireFhirView.as_view(),
        name="fhir-questionnaire",
    ),
    path("patients/<int:pk>/trend/", PatientTrendView.as_view(), name="patient-trend"),
    path("patients/<int:pk>/status/", PatientStatusView.as_view(), name="patient-status"),
    path("triage/", TriageView.as_view(), name="triage"),
    path(
        "patients/<int:patient_pk>/programs/",
        PatientProgramsView.as_view(),
        name="patient-programs",
    ),
    path(
        "patients/<int:patient_pk>/messages/",
        PatientMessagesView.as_view(),
        name="patient-messages",
    ),
    path(
        "patients/<int:patient_pk>/messages/read/",
        PatientMessagesReadView.as_view(),
        name="patient-messages-read",
    ),
    path("exercises/<int:pk>/media/", ExerciseMediaView.as_view(), name="exercise-media"),
    path(
        "prescriptions/<int:pk>/media/",
        PrescriptionMediaView.as_view(),
        name="prescription-media",
    ),
    path("media/<int:pk>/", MediaDetailView.as_view(), name="media-detail"),
    path("questionnaires/", QuestionnaireListView.as_view(), name="questionnaires"),
    path(
        "programs/<int:pk>/questionnaire-schedules/",
        ProgramSchedulesView.as_view(),
        name="program-questionnaire-schedules",
    ),
    path(
        "questionnaire-schedules/<int:pk>/",
        ScheduleDetailView.as_view(),
        name="questionnaire-schedule-detail",
    ),
    path(
        "patients/<int:pk>/questionnaire-responses/",
        PatientResponsesView.as_view(),
        name="patient-questionnaire-responses",
    ),
    path(
        "questionnaire-responses/<int:pk>/",
        ResponseDetailView.as_view(),
        name="questionnaire-response-detail",
    ),
    path(
        "questionnaire-responses/<int:pk>/complete/",
        ResponseCompleteView.as_view(),
        name="questionnaire-response-complete",
    ),
    path("", include(router.urls)),
]
