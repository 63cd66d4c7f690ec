from django import forms

from .instruments import INSTRUMENTS


class ScheduleForm(forms.Form):
    code = forms.ChoiceField(label="Questionnaire")
    at_start = forms.BooleanField(label="At the start of the program", required=False, initial=True)
    every_weeks = forms.IntegerField(
        label="Then every … weeks (leave empty to ask only once)",
        required=False,
        min_value=1,
        max_value=52,
    )
    at_discharge = forms.BooleanField(label="At discharge (when the program ends)", required=False)

    def __init__(self, *args, codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(c, INSTRUMENTS[c].title) for c in codes]  # type: ignore[attr-defined]


# A definition is a few hundred kilobytes at most (HAGOS, 37 items, is about 80 KB).
DEFINITION_MAX_BYTES = 1024 * 1024


class DefinitionImportForm(forms.Form):
    definition = forms.FileField(
        label="Questionnaire definition (FHIR R4 JSON, with the licensor's wording)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )

    def clean_definition(self) -> str:
        upload = self.cleaned_data["definition"]
        if upload.size > DEFINITION_MAX_BYTES:
            raise forms.ValidationError("This file is over 1 MB; a definition is far smaller.")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("This file is not text (UTF-8 JSON).") from None
