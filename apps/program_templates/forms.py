from django import forms


class TemplateForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who it suits and how to progress it; clinicians read it when choosing.",
    )


class TemplateFromProgramForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        label="Template name",
        help_text="Only your clinic sees it. The patient's name, dates and notes on cautions "
        "are not kept; exercises, doses, bands, sessions per week and cards are.",
    )
