"""Forms of the intake. They only parse input: the services decide."""

import secrets

from django import forms

from woonoverlast.cases.forms import AddressFieldsMixin, CaseCreateForm
from woonoverlast.cases.models import Case, Category, Partner
from woonoverlast.submissions.required import SpecificRequiredMixin

from .choices import CLOSING_OUTCOMES, Outcome, TalkedToNeighbour
from .models import TEXT_MAX_LENGTH


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


# The categories a resident can recognise, in their words; the others (zorgcomponent,
# wederzijdse beschuldigingen) are the casemanager's judgement.
PUBLIC_CATEGORY_LABELS = {
    "geluidsoverlast": "Lawaai",
    "ernstige-vervuiling": "Vervuiling of stank",
    "veel-huisdieren": "Veel dieren of ongedierte",
    "verzamelwoede": "Veel spullen in of om de woning",
    "verward-gedrag-verslaving": "Verward gedrag, drank of drugs",
    "overig": "Iets anders",
}


class PublicCategoryField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return PUBLIC_CATEGORY_LABELS.get(obj.code, obj.name)


class PublicMeldingForm(SpecificRequiredMixin, AddressFieldsMixin):
    """The public form /melden/, in plain Dutch (B1). Field names are the service's
    arguments. `website` is a honeypot: hidden from people (and screen readers), filled in by
    bots that fill in every field."""

    street = forms.CharField(
        label="Straat",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    house_number = forms.IntegerField(
        label="Huisnummer",
        min_value=1,
        max_value=99_999,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": "Vul een huisnummer in met alleen cijfers, bijvoorbeeld 12."},
    )
    postcode = forms.CharField(
        label="Postcode", max_length=7, help_text="Bijvoorbeeld 2711 AB.", required=True
    )
    categories = PublicCategoryField(
        label="Wat voor overlast is het?",
        queryset=Category.objects.filter(is_active=True, code__in=PUBLIC_CATEGORY_LABELS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Kies wat past. Weet u het niet zeker? Sla deze vraag dan over.",
    )
    text = forms.CharField(
        label="Wat gebeurt er?",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Vertel wat u ziet, hoort of ruikt, en wanneer. Hoogstens 5000 tekens.",
    )
    since = forms.CharField(
        label="Sinds wanneer is er overlast?",
        max_length=200,
        required=False,
        help_text="Bijvoorbeeld: sinds maart, of al een paar weken.",
    )
    talked_to_neighbour = forms.ChoiceField(
        label="Hebt u al met de buren gepraat over de overlast?",
        choices=TalkedToNeighbour.choices,
        widget=forms.RadioSelect,
        initial=TalkedToNeighbour.UNKNOWN,
    )
    reporter_name = forms.CharField(
        label="Uw naam",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_phone = forms.CharField(
        label="Uw telefoonnummer",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    reporter_email = forms.EmailField(
        label="Uw e-mailadres",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Dan sturen wij u een bevestiging en laten wij weten wat wij met uw melding "
        "doen.",
        error_messages={
            "invalid": "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
        },
    )
    website = forms.CharField(
        label="Laat dit veld leeg",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    CONTACT_FIELDS = ("reporter_name", "reporter_phone", "reporter_email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].required = True
        self.fields["house_number"].required = True
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())
        for name, field in self.fields.items():
            if field.required and name not in ("talked_to_neighbour",):
                field.error_messages["required"] = {
                    "street": "Vul de straat in.",
                    "house_number": "Vul het huisnummer in.",
                    "postcode": "Vul de postcode in.",
                    "text": "Vertel wat er gebeurt.",
                }.get(name, field.error_messages["required"])

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean_form_token(self):
        # Not ours (bad characters or empty): a fresh one, so the melding is still stored.
        value = self.cleaned_data["form_token"].strip()
        if not value or not all(c.isalnum() or c in "-_" for c in value):
            return new_form_token()
        return value

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "street",
                "house_number",
                "house_number_addition",
                "postcode",
                "categories",
                "text",
                "since",
                "talked_to_neighbour",
                "reporter_name",
                "reporter_phone",
                "reporter_email",
                "form_token",
            )
        }


class AddToCaseForm(SpecificRequiredMixin, forms.Form):
    """Way out 1: a case, by reference (a match's button sends it; or typed in)."""

    case = forms.CharField(
        label="Referentie van de casus",
        max_length=20,
        help_text="Bijvoorbeeld WO-2026-0042.",
        error_messages={"required": "Vul de referentie van de casus in."},
    )

    def clean_case(self):
        reference = self.cleaned_data["case"].strip()
        case = Case.objects.filter(reference__iexact=reference).first()
        if case is None:
            raise forms.ValidationError(f"Er is geen casus met referentie {reference}.")
        return case


class CloseForm(SpecificRequiredMixin, forms.Form):
    """Way out 3: no case."""

    outcome = forms.ChoiceField(
        label="Uitkomst",
        choices=[(value, Outcome(value).label) for value in CLOSING_OUTCOMES],
        widget=forms.RadioSelect,
    )
    partner = forms.ModelChoiceField(
        label="Doorverwezen naar",
        queryset=Partner.objects.filter(is_active=True),
        required=False,
        empty_label="Kies een partner",
        help_text="Alleen bij doorverwezen.",
    )
    reason = forms.CharField(
        label="Toelichting",
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Voor het team; de melder ziet dit niet.",
    )


class CaseFromMeldingForm(CaseCreateForm):
    """Way out 2: the case registration form, pre-filled from the melding; its text becomes
    the case's first melding, so those fields are not asked again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_melding_source", "first_melding_on", "first_melding_text"):
            del self.fields[name]
