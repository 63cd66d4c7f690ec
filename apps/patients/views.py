from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from apps.audit.models import AccessGrant
from apps.audit.services import access_note
from apps.care.selectors import (
    next_visit,
    patient_timeline,
    program_cards,
    thread_patients_for,
    unread_messages,
)
from apps.common.decorators import clinic_admin_required, clinician_required, patient_required
from apps.common.forms import form_submit
from apps.painlogs.selectors import (
    adherence_summary,
    pain_trend,
    patient_today,
    weekly_activity,
    workouts_with_results,
)
from apps.programs.selectors import (
    active_program,
    program_history,
    program_suggestions,
    recent_changes,
)
from apps.reminders.models import Job
from apps.reminders.selectors import failed_emails_for, failed_jobs_for

from .forms import CareTeamForm, PatientForm, PatientSearchForm, PreferencesForm, TrendRangeForm
from .models import Patient
from .selectors import (
    attention_filter,
    clinic_directory,
    clinician_patients,
    patient_roster,
    patients_for,
)
from .services import care_team_set, patient_create, patient_preferences_update, patient_update
from .trend import trend_chart_data, weekly_trend
from .triage import triage_rows

TREND_DAYS = 42
RECENT_WORKOUTS = 10
CHANGES_DAYS = 28


@clinician_required
def patient_list(request):
    search = PatientSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    now = timezone.now()
    patients: QuerySet[Patient] | list[Patient]  # a list once read, for the access log
    patients = patient_roster(request.user, query=query, now=now)
    attention = request.GET.get("attention") == "1"
    if attention:
        patients = patients.filter(attention_filter(now))
    patients = list(patients)
    access_note(request, [p.pk for p in patients])
    return render(
        request,
        "patients/list.html",
        {"patients": patients, "search": search, "query": query, "attention": attention},
    )


@clinician_required
def patient_new(request):
    form = PatientForm(
        request.POST or None,
        clinician=request.user,
        initial={
            "timezone": request.user.timezone,
            "reminder_time": "18:00",
            "care_team": [request.user.pk],
        },
    )
    patient = form_submit(
        request,
        form,
        lambda data: patient_create(clinician=request.user, **data),
        rate_limit="invitations",
    )
    if patient:
        messages.success(
            request,
            f"{patient.user.full_name} is added and has been emailed a link to set their password.",
        )
        return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/form.html", {"form": form, "title": "Add a patient"})


@clinician_required
def patient_edit(request, pk):
    patient = get_object_or_404(clinician_patients(request.user), pk=pk)
    access_note(request, [patient.pk])
    initial = {
        "full_name": patient.user.full_name,
        "timezone": patient.user.timezone,
        "date_of_birth": patient.date_of_birth,
        "condition": patient.condition,
        "diagnosis": patient.diagnosis,
        "affected_side": patient.affected_side,
        "reminder_time": patient.reminder_time,
        "care_team": patient.care_team.all(),
        "auto_progression": patient.auto_progression,
    }
    form = PatientForm(request.POST or None, clinician=request.user, editing=True, initial=initial)
    if form_submit(
        request, form, lambda data: patient_update(patient=patient, by=request.user, **data)
    ):
        messages.success(request, "Patient details saved.")
        return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "patients/form.html",
        {"form": form, "title": f"Edit {patient.user.full_name}", "patient": patient},
    )


@clinician_required
def patient_detail(request, pk):
    patient = clinician_patients(request.user).filter(pk=pk).first()
    if patient is None:
        # A clinic admin may open the record of another care team's patient, with a reason.
        if clinic_directory(request.user).filter(pk=pk).exists():
            return redirect("audit:emergency_access", pk=pk)
        raise Http404("No patient here.")
    access_note(request, [patient.pk])
    today = patient_today(patient, timezone.now())
    program = active_program(patient)
    context = {
        "patient": patient,
        "program": program,
        "suggestions": program_suggestions(program) if program else [],
        "changes": recent_changes(patient, since=timezone.now() - timedelta(days=CHANGES_DAYS)),
        "history": program_history(patient),
        "workouts": workouts_with_results(patient)[:RECENT_WORKOUTS],
        "activities": patient.activities.all()[:10],
        "trend": pain_trend(patient, since=today - timedelta(days=TREND_DAYS - 1)),
        "adherence": adherence_summary(patient, today=today),
        "today": today,
        "activity_weeks": weekly_activity(patient, today=today, weeks=4),
        **_care_context(request.user, patient, program, today),
        "emergency_grant": _emergency_grant(request.user, patient),
        # Nothing is dropped silently: what could not be delivered is shown, and can be retried.
        "failed_emails": failed_emails_for(request.user).filter(patient=patient)[:20],
        "failed_checks": failed_jobs_for(request.user)
        .filter(patient=patient)
        .exclude(kind__in=Job.EMAIL_KINDS)[:20],
        "failed_invitation": failed_jobs_for(request.user)
        .filter(patient=patient, kind=Job.Kind.INVITATION_EMAIL)
        .first(),
    }
    return render(request, "patients/detail.html", context)


def _care_context(user, patient, program, today) -> dict:
    """The conversation side of the patient page: thread, cards, visits and the timeline."""
    in_thread = thread_patients_for(user).filter(pk=patient.pk).exists()
    return {
        "in_thread": in_thread,
        "unread_messages": unread_messages(user=user, patient=patient).count() if in_thread else 0,
        "cards": program_cards(program) if program else [],
        "next_visit": next_visit(patient, today=today),
        "timeline": patient_timeline(patient) if in_thread else [],
    }


@login_required
def patient_trend(request, pk):
    """Week by week: pain, sessions, training volume, activities and level changes."""
    patient = get_object_or_404(patients_for(request.user), pk=pk)
    access_note(request, [patient.pk])
    form = TrendRangeForm(request.GET or None)
    weeks = form.cleaned_data["weeks"] if form.is_valid() else TrendRangeForm.DEFAULT_WEEKS
    rows = weekly_trend(patient, today=patient_today(patient, timezone.now()), weeks=weeks)
    context = {
        "patient": patient,
        "form": form,
        "weeks": rows,
        "weeks_count": weeks,
        "chart": trend_chart_data(rows, ceiling=_latest_ceiling(patient)),
        "own": request.user.is_patient,
        "has_timed": any(week.timed_minutes for week in rows),
        "activities": [a for week in reversed(rows) for a in reversed(week.activities)],
        "changes": [c for week in reversed(rows) for c in reversed(week.changes)],
    }
    return render(request, "patients/trend.html", context)


def _latest_ceiling(patient) -> int:
    program = program_history(patient).first()
    return program.pain_ceiling if program else settings.GREENLIGHT["DEFAULT_PAIN_CEILING"]


@patient_required
def preferences(request):
    patient = request.user.patient_profile
    access_note(request, [patient.pk])
    initial = {
        "reminder_time": patient.reminder_time,
        "reminders_paused": patient.reminders_paused,
        "email_reminders": request.user.email_reminders,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if form_submit(request, form, lambda data: patient_preferences_update(patient=patient, **data)):
        messages.success(request, "Reminder settings saved.")
        return redirect("patients:preferences")
    return render(request, "patients/preferences.html", {"form": form, "patient": patient})


@clinician_required
def triage(request):
    rows = triage_rows(request.user, now=timezone.now())
    access_note(request, [row.patient.pk for row in rows])
    return render(request, "patients/triage.html", {"rows": rows})


def _emergency_grant(user, patient):
    """The admin's open break-glass grant this page is seen through, or None (no query for a
    clinician)."""
    if not user.is_clinic_admin:
        return None
    return AccessGrant.objects.active().filter(user=user, patient=patient).first()


@clinic_admin_required
def clinic_directory_view(request):
    """Every patient of the clinic with their care team, for the admins who staff them.

    No clinical data: names, care teams, whether they have signed in. The names are patient
    data all the same, so the page is in the access log.
    """
    search = PatientSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    patients: QuerySet[Patient] | list[Patient]  # a list once read, for the access log
    patients = clinic_directory(request.user)
    if query:
        patients = patients.filter(user__full_name__icontains=query)
    patients = list(patients)
    access_note(request, [p.pk for p in patients])
    on_team = {p.pk for p in patients if request.user in p.care_team.all()}
    context = {"patients": patients, "search": search, "query": query, "on_team": on_team}
    return render(request, "patients/clinic_directory.html", context)


@clinic_admin_required
def care_team_edit(request, pk):
    patient = get_object_or_404(clinic_directory(request.user), pk=pk)
    access_note(request, [patient.pk])
    form = CareTeamForm(
        request.POST if request.method == "POST" else None,
        admin=request.user,
        initial={"care_team": patient.care_team.all()},
    )
    if form_submit(
        request,
        form,
        lambda data: care_team_set(admin=request.user, patient=patient, **data),
    ):
        messages.success(request, f"{patient.user.full_name}'s care team is saved.")
        return redirect("patients:clinic_directory")
    return render(request, "patients/care_team.html", {"patient": patient, "form": form})
