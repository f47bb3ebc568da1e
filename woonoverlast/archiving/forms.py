from django import forms

from woonoverlast.cases.validators import FREE_TEXT_VALIDATORS

from .choices import AppliesTo
from .models import ResultType


class _ResultForm(forms.Form):
    """Another resultaat than the derived one, with a reason; `not_for`: the resultaten that
    apply only to the other kind of record."""

    not_for = ""

    result_type = forms.ModelChoiceField(
        label="Resultaat (Selectielijst 2020)",
        queryset=ResultType.objects.none(),
        empty_label="Kies een resultaat",
    )
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=FREE_TEXT_VALIDATORS,
        help_text="Waarom dit resultaat beter past dan het afgeleide: het bepaalt de termijn.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result_type"].queryset = ResultType.objects.filter(active=True).exclude(
            applies_to=self.not_for
        )


class CaseResultForm(_ResultForm):
    not_for = AppliesTo.MEASURE


class MeasureResultForm(_ResultForm):
    not_for = AppliesTo.CASE


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label="Reden van de uitzondering",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=FREE_TEXT_VALIDATORS,
    )
