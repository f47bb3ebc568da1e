"""Forms of the casework screens. They only parse input: the services decide.

Field names are the services' argument names, so that a service's ValidationError lands
next to the field it is about (see woonoverlast.common.views.add_service_errors).
"""

from django import forms
from django.db.models import Q

from woonoverlast.accounts.roles import case_workers
from woonoverlast.common.forms import DateField
from woonoverlast.common.validation import today
from woonoverlast.submissions.forms import OnceFormMixin
from woonoverlast.submissions.required import SpecificRequiredMixin

from .choices import ActionType, ClosingReason, Complexity, HousingType, MeldingSource, PartyRole
from .models import Case, Category, District, HousingCorporation, Partner
from .validators import FREE_TEXT_MAX_LENGTH, normalize_postcode, validate_house_number_addition


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class AddressFieldsMixin(forms.Form):
    """Address fields shared by the new-case and edit forms."""

    street = forms.CharField(label="Straat", max_length=200, required=False)
    house_number = forms.IntegerField(
        label="Huisnummer",
        min_value=1,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    house_number_addition = forms.CharField(
        label="Toevoeging",
        max_length=6,
        required=False,
        help_text="Bijvoorbeeld A of 2.",
        validators=[validate_house_number_addition],
    )
    postcode = forms.CharField(
        label="Postcode", max_length=7, required=False, help_text="Bijvoorbeeld 2711 AB."
    )

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return normalize_postcode(value) if value else ""

    def clean_house_number_addition(self):
        return self.cleaned_data["house_number_addition"].strip().upper()


class CaseFactsForm(SpecificRequiredMixin, AddressFieldsMixin):
    """The facts of a case, as registered and as corrected."""

    district = forms.ModelChoiceField(
        label="Wijk",
        queryset=District.objects.filter(is_active=True),
        empty_label="Kies een wijk",
        error_messages={"required": "Kies een wijk."},
    )
    housing_type = forms.ChoiceField(
        label="Woningtype",
        choices=HousingType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies een woningtype: koop, corporatie of particulier."},
    )
    corporation = forms.ModelChoiceField(
        label="Woningcorporatie",
        queryset=HousingCorporation.objects.filter(is_active=True),
        required=False,
        empty_label="Onbekend",
        help_text="Alleen bij woningtype corporatie.",
    )
    categories = forms.ModelMultipleChoiceField(
        label="Categorieën",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complexity = forms.ChoiceField(
        label="Complexiteit",
        choices=Complexity.choices,
        initial=Complexity.SIMPLE,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of de casus enkelvoudig of complex is."},
    )
    description = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH,
        label="Omschrijving",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Wat speelt er? Zet hier geen gegevens van personen in; die horen bij de "
        "betrokkenen.",
    )
    registered_on = DateField(
        label="Geregistreerd op",
        initial=today,
        error_messages={"required": "Vul de datum van registratie in."},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("corporation")
            and data.get("housing_type")
            and data["housing_type"] != HousingType.CORPORATIE
        ):
            # The service would drop the corporation; say so rather than lose it silently.
            self.add_error(
                "corporation",
                "Een woningcorporatie hoort alleen bij woningtype corporatie. Kies woningtype "
                "corporatie of maak dit veld leeg.",
            )
        return data


class CaseCreateForm(OnceFormMixin, CaseFactsForm):
    """New case: what a casemanager can fill in under a minute."""

    first_melding_source = forms.ChoiceField(
        label="Melding van", choices=MeldingSource.choices, initial=MeldingSource.RESIDENT
    )
    first_melding_on = DateField(
        label="Datum eerste melding", required=False, help_text="Leeg: de registratiedatum."
    )
    first_melding_text = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH,
        label="Eerste melding",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Wat is er gemeld?",
    )
    confirm_duplicate = forms.BooleanField(
        label="Toch registreren",
        required=False,
        help_text="Er loopt al een casus op dit adres. Vink aan om toch een nieuwe casus te "
        "registreren.",
    )

    field_order = [
        "district",
        "housing_type",
        "corporation",
        "street",
        "house_number",
        "house_number_addition",
        "postcode",
        "categories",
        "first_melding_source",
        "first_melding_on",
        "first_melding_text",
        "description",
        "complexity",
        "registered_on",
    ]

    def __init__(self, *args, can_assign: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if can_assign:
            self.fields["casemanager"] = UserChoiceField(
                label="Casemanager",
                queryset=case_workers(),
                required=False,
                empty_label="Nog niet toewijzen",
            )


class CaseEditForm(CaseFactsForm):
    """Correcting the facts. `version` is the case's version the form was filled from."""

    partners = forms.ModelMultipleChoiceField(
        label="Ketenpartners",
        queryset=Partner.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_review_on = DateField(
        label="Volgende evaluatie",
        required=False,
        help_text="Wanneer de casus opnieuw bekeken moet worden.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        # A case keeps a wijk, category, partner or corporation that has since been
        # deactivated: offer the active ones plus the ones the case has.
        self.fields["district"].queryset = District.objects.filter(
            Q(is_active=True) | Q(pk=case.district_id)
        )
        self.fields["corporation"].queryset = HousingCorporation.objects.filter(
            Q(is_active=True) | Q(pk=case.corporation_id)
        )
        self.fields["categories"].queryset = Category.objects.filter(
            Q(is_active=True) | Q(pk__in=case.categories.values("pk"))
        )
        self.fields["partners"].queryset = Partner.objects.filter(
            Q(is_active=True) | Q(pk__in=case.partners.values("pk"))
        )

    @staticmethod
    def initial_for(case: Case) -> dict:
        return {
            "district": case.district_id,
            "housing_type": case.housing_type,
            "corporation": case.corporation_id,
            "street": case.street,
            "house_number": case.house_number,
            "house_number_addition": case.house_number_addition,
            "postcode": case.postcode,
            "categories": [category.pk for category in case.categories.all()],
            "partners": [partner.pk for partner in case.partners.all()],
            "complexity": case.complexity,
            "description": case.description,
            "registered_on": case.registered_on,
            "next_review_on": case.next_review_on,
            "version": case.version,
        }


class ActionForm(OnceFormMixin, forms.Form):
    action_type = forms.ChoiceField(
        label="Soort actie",
        # A huisbezoek has its own form (who was present, findings).
        choices=[("", "Kies een soort actie")]
        + [choice for choice in ActionType.choices if choice[0] != ActionType.HOME_VISIT],
    )
    performed_on = DateField(label="Datum", initial=today)
    notes = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH,
        label="Notities",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    follow_up_on = DateField(
        label="Vervolgdatum",
        required=False,
        help_text="Wanneer moet er weer iets gebeuren? Leeg: geen vervolg.",
    )


class HomeVisitForm(OnceFormMixin, forms.Form):
    performed_on = DateField(label="Datum huisbezoek", initial=today)
    present = forms.CharField(
        label="Aanwezig",
        max_length=500,
        help_text="Wie waren er bij? Bijvoorbeeld: bewoner, casemanager, wijkagent.",
    )
    findings = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH,
        label="Bevindingen",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    follow_up_on = DateField(
        label="Vervolgdatum",
        required=False,
        help_text="Wanneer moet er weer iets gebeuren? Leeg: geen vervolg.",
    )


class MeldingForm(OnceFormMixin, forms.Form):
    received_on = DateField(label="Datum melding", initial=today)
    source = forms.ChoiceField(label="Melding van", choices=MeldingSource.choices)
    text = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH, label="Melding", widget=forms.Textarea(attrs={"rows": 5})
    )


class PartyForm(OnceFormMixin, forms.Form):
    role = forms.ChoiceField(label="Rol", choices=PartyRole.choices, widget=forms.RadioSelect)
    name = forms.CharField(
        label="Naam", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label="Telefoon",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="E-mail", required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    address = forms.CharField(
        label="Adres",
        max_length=250,
        required=False,
        help_text="Alleen als het afwijkt van het adres van de casus.",
    )
    notes = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH,
        label="Notities",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CloseForm(OnceFormMixin, forms.Form):
    on = DateField(label="Datum afsluiten", initial=today)
    reason = forms.ChoiceField(
        label="Reden van afsluiten", choices=ClosingReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH,
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReopenForm(OnceFormMixin, forms.Form):
    on = DateField(label="Heropend per", initial=today)
    reason = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH,
        label="Reden van heropenen",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bijvoorbeeld: nieuwe meldingen over dezelfde overlast.",
    )


class ReassignForm(OnceFormMixin, forms.Form):
    casemanager = UserChoiceField(
        label="Nieuwe casemanager", queryset=case_workers(), empty_label="Kies een casemanager"
    )
    reason = forms.CharField(
        label="Reden",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: verlof, werkverdeling, specialisme. De nieuwe casemanager "
        "krijgt een bericht met de reden.",
    )


class BulkReassignForm(ReassignForm):
    """Several cases of the case list at once: their references come from the checkboxes."""

    casussen = forms.ModelMultipleChoiceField(
        label="Casussen",
        queryset=Case.objects.all(),
        to_field_name="reference",
        required=False,
    )
    # Instead of ticks: every case matching the list's filters, on every page; `aantal` is
    # the count the page showed (services.case_reassign_matching checks it).
    alle = forms.BooleanField(label="Alle casussen die aan de filters voldoen", required=False)
    aantal = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    NOTHING_CHOSEN = (
        "Kies een of meer casussen in de lijst, of kies alle casussen die aan de filters voldoen."
    )

    def clean(self):
        data = super().clean()
        if not data.get("alle") and not data.get("casussen"):
            self.add_error("casussen", self.NOTHING_CHOSEN)
        if data.get("alle") and data.get("aantal") is None:
            self.add_error("alle", "Het aantal casussen ontbreekt; laad de lijst opnieuw.")
        return data

    def __init__(self, *args, **kwargs):
        # On the list page beside the filters, which have a casemanager field of their own.
        kwargs.setdefault("auto_id", "toewijzen_%s")
        super().__init__(*args, **kwargs)


class AccessGrantForm(OnceFormMixin, forms.Form):
    user = UserChoiceField(
        label="Medewerker", queryset=case_workers(), empty_label="Kies een medewerker"
    )
    reason = forms.CharField(
        label="Reden",
        max_length=300,
        help_text="Bijvoorbeeld: de overlast is terug en de casus wordt mogelijk heropend.",
    )


class WithdrawForm(OnceFormMixin, forms.Form):
    """Withdrawing an entry (or a status change) entered in error: a reason is required."""

    reason = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH,
        label="Reden van intrekken",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld: vastgelegd bij de verkeerde casus.",
    )


class StatusDateCorrectForm(OnceFormMixin, forms.Form):
    on = DateField(label="Juiste datum")
    reason = forms.CharField(
        max_length=FREE_TEXT_MAX_LENGTH,
        label="Reden van de correctie",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld: afsluitdatum verkeerd ingevoerd, moest 15-05-2023 zijn.",
    )
