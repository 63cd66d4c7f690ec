from django import forms

from .models import User


class ClinicianInviteForm(forms.Form):
    full_name = forms.CharField(max_length=200)
    email = forms.EmailField()
    role = forms.ChoiceField(
        choices=[(User.Role.CLINICIAN, "Clinician"), (User.Role.CLINIC_ADMIN, "Clinic admin")]
    )
