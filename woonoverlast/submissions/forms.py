"""The form half: a hidden one-time token on every rendered page of a create form."""

from django import forms

from .required import name_required_fields
from .services import new_token, valid_token

TOKEN_FIELD = "submission_token"


class OnceFormMixin:
    """Put first in a form's bases: `class ActionForm(OnceFormMixin, forms.Form)`.

    Adds the hidden field `submission_token` (a fresh token each time the empty form is
    rendered; the same one when the filled form comes back with errors, or when the browser
    shows the saved page again from its back-forward cache; a page the browser loads anew
    after Back has a new token, and the view recognises its values instead). It is taken out
    of `cleaned_data` (so views can still pass `**form.cleaned_data` to a service) and kept as
    `form.submission_token` ("" when absent or malformed). Its required fields get messages
    that name them (submissions.required).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TOKEN_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=new_token, max_length=64
        )
        self.submission_token = ""
        name_required_fields(self)  # every form of the app's work has this mixin

    def clean(self):
        cleaned = super().clean()
        if cleaned is None:
            cleaned = self.cleaned_data
        self.submission_token = valid_token(cleaned.pop(TOKEN_FIELD, ""))
        return cleaned
