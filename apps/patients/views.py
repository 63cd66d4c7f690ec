from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render

from apps.audit.services import access_note
from apps.common.decorators import clinic_admin_required, clinician_required, patient_required
from apps.common.forms import form_submit

from .forms import CareTeamForm, PatientForm, PatientSearchForm, PreferencesForm
from .models import Patient
from .selectors import clinic_directory, clinician_patients
from .services import care_team_set, patient_create, patient_preferences_update, patient_update


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
