from django import forms
from django.utils import timezone


class ErasureForm(forms.Form):
    received_on = forms.DateField(
        label="Date the patient asked",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="The request's date, for the clinic's records (one month to answer it).",
    )
    confirm_name = forms.CharField(
        label="Type the patient's full name to confirm",
        max_length=200,
        help_text="Their name is replaced at once; this cannot be undone.",
    )
    identity_checked = forms.BooleanField(
        label="I have checked that the request comes from the patient",
        error_messages={"required": "Check the request comes from the patient first."},
    )

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError("The request cannot come from the future.")
        return received

    def clean_confirm_name(self):
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.patient.user.full_name.split()).casefold():
            raise forms.ValidationError("That is not the patient's name as the clinic has it.")
        return typed
