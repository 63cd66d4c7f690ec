from typing import Any

from django import forms

from .processing import ACCEPT


class MediaForm(forms.Form):
    file = forms.FileField(
        label="Photo or video",
        help_text="JPEG, PNG or WebP photos; MP4, WebM or MOV videos.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    caption = forms.CharField(
        label="Caption", max_length=200, required=False, help_text="What to look for in it."
    )

    def __init__(self, *args: Any, capture: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if capture:
            # On a phone, opens the back camera straight away: filmed in clinic.
            self.fields["file"].widget.attrs["capture"] = "environment"
