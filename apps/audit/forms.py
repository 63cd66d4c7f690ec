from django import forms

from .services import REASON_MIN_LENGTH


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need this record?",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        max_length=500,
        min_length=REASON_MIN_LENGTH,
        help_text=(
            "For example: the patient's clinician is away and the patient called about a red "
            "session. The patient and their care team can read this."
        ),
        error_messages={"required": "State why you need to open this record."},
    )
