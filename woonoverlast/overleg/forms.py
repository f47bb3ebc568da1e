from django import forms
from django.core.exceptions import ValidationError

from woonoverlast.accounts.roles import case_workers
from woonoverlast.cases.models import Case
from woonoverlast.common.forms import DateField

from .models import Contact, Organisation


class MeetingForm(forms.Form):
    held_on = DateField(label="Datum")
    title = forms.CharField(label="Titel", max_length=200, required=False)
    chair = forms.ModelChoiceField(label="Voorzitter", queryset=None)
    participants = forms.ModelMultipleChoiceField(
        label="Deelnemers van het team",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_contacts = forms.ModelMultipleChoiceField(
        label="Deelnemers van partners",
        queryset=Contact.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Alleen zij zien de agenda op /partner/, met de gegevens die het convenant van "
        "hun organisatie toestaat.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = case_workers()
        self.fields["participants"].queryset = case_workers()


class ProposeForm(forms.Form):
    reference = forms.CharField(label="Casus (referentie)", max_length=20)
    question = forms.CharField(
        label="Vraag aan de partners",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Wat wilt u van de partners weten of gedaan krijgen?",
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            raise ValidationError("Er is geen casus met deze referentie.")
        self.cleaned_data["case"] = case
        return reference


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Bespreking", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )


class AgreementForm(forms.Form):
    text = forms.CharField(
        label="Afspraak", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    due_on = DateField(label="Uiterlijk op")
    owner = forms.ChoiceField(label="Wie voert het uit?")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        colleagues = [
            (f"user:{user.pk}", user.get_full_name() or user.username) for user in case_workers()
        ]
        partners = []
        for organisation in Organisation.objects.filter(is_active=True).prefetch_related(
            "contacts"
        ):
            partners.append((f"org:{organisation.pk}", f"{organisation} (organisatie)"))
            partners.extend(
                (f"contact:{contact.pk}", f"{organisation}: {contact.name}")
                for contact in organisation.contacts.all()
                if contact.is_active
            )
        self.fields["owner"].choices = [
            ("", "Kies…"),
            ("Collega's", colleagues),
            ("Partners", partners),
        ]

    def owner_arguments(self) -> dict:
        from django.contrib.auth import get_user_model

        kind, _, pk = self.cleaned_data["owner"].partition(":")
        if kind == "user":
            return {"owner_user": get_user_model().objects.get(pk=pk)}
        if kind == "contact":
            contact = Contact.objects.select_related("organisation").get(pk=pk)
            return {"owner_contact": contact, "owner_organisation": contact.organisation}
        return {"owner_organisation": Organisation.objects.get(pk=pk)}


class AgreementDoneForm(forms.Form):
    note = forms.CharField(
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Wat is er gedaan? Zet hier geen gegevens in die niet nodig zijn.",
    )


class RegisterFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Partner", queryset=Organisation.objects.order_by("name"), required=False
    )
    reference = forms.CharField(label="Casus (referentie)", max_length=20, required=False)
    start = DateField(label="Vanaf", required=False)
    end = DateField(label="Tot en met", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "De einddatum mag niet voor de begindatum liggen.")
        return data
