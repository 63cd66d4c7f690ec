from typing import cast

from django import forms

from apps.accounts.models import User
from apps.accounts.selectors import care_team_choices_for
from apps.common.forms import TimezoneField

from .models import Condition, Side


class PatientForm(forms.Form):
    full_name = forms.CharField(max_length=200, label="Full name")
    email = forms.EmailField(help_text="The patient gets a link here to set their password.")
    date_of_birth = forms.DateField(
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    condition = forms.ChoiceField(choices=Condition.choices)
    diagnosis = forms.CharField(max_length=300, required=False, label="Diagnosis (free text)")
    # Nothing preselected: a side the clinician did not choose would be a wrong record.
    affected_side = forms.ChoiceField(
        choices=[("", "Choose the side"), *Side.choices],
        error_messages={"required": "Choose the affected side."},
    )
    timezone = TimezoneField(
        label="Time zone",
        help_text="Reminders and “today” follow this zone.",
    )
    reminder_time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        label="Preferred reminder time",
    )
    # The message never echoes the id: it must not tell a valid id of another clinic from none.
    care_team: "forms.ModelMultipleChoiceField[User]" = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Pick the care team from your clinic's list.",
            "invalid_pk_value": "Pick the care team from your clinic's list.",
        },
    )
    auto_progression = forms.BooleanField(
        required=False,
        label="Progress automatically",
        help_text="When the rule says “ready to progress”, apply it and tell you and the patient.",
    )

    def __init__(self, *args, clinician, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["care_team"]
        ).queryset = care_team_choices_for(clinician)
        if editing:
            del self.fields["email"]
        elif not self.is_bound:
            # A new patient most likely lives where the clinic's browser is.
            cast(TimezoneField, self.fields["timezone"]).prefer_browser_zone()

    def clean_date_of_birth(self):
        from django.utils import timezone

        dob = self.cleaned_data["date_of_birth"]
        if dob >= timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        return dob


class CareTeamForm(forms.Form):
    care_team: "forms.ModelMultipleChoiceField[User]" = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Care team",
        help_text="The clinicians who treat this patient and see their record.",
        error_messages={
            "required": "A patient needs at least one clinician on the care team.",
            "invalid_choice": "Pick the care team from your clinic's list.",
            "invalid_pk_value": "Pick the care team from your clinic's list.",
        },
    )

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["care_team"]
        ).queryset = care_team_choices_for(admin)


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search patients",
        widget=forms.TextInput(attrs={"placeholder": "Name, email or diagnosis", "type": "search"}),
    )


class PreferencesForm(forms.Form):
    reminder_time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        label="Remind me at",
        help_text="On your exercise days, in your own time zone.",
    )
    reminders_paused = forms.BooleanField(
        required=False, label="Pause all reminders (holiday, illness…)"
    )
    email_reminders = forms.BooleanField(required=False, label="Also send reminders by email")
