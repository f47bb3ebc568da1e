from django import forms

from woonoverlast.cases.validators import FREE_TEXT_VALIDATORS

from .choices import AppliesTo
from .models import ResultType


class CaseResultForm(forms.Form):
    result_type = forms.ModelChoiceField(
        label="Resultaat (Selectielijst 2020)",
        queryset=ResultType.objects.filter(active=True).exclude(applies_to=AppliesTo.MEASURE),
        empty_label="Kies een resultaat",
    )
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=FREE_TEXT_VALIDATORS,
        help_text="Waarom dit resultaat beter past dan het afgeleide: het bepaalt de termijn.",
    )


class MeasureResultForm(forms.Form):
    result_type = forms.ModelChoiceField(
        label="Resultaat (Selectielijst 2020)",
        queryset=ResultType.objects.filter(active=True).exclude(applies_to=AppliesTo.CASE),
        empty_label="Kies een resultaat",
    )
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=FREE_TEXT_VALIDATORS,
        help_text="Waarom dit resultaat beter past dan het afgeleide: het bepaalt de termijn.",
    )


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label="Reden van de uitzondering",
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=FREE_TEXT_VALIDATORS,
    )
