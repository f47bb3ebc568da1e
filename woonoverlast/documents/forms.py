from django import forms

from woonoverlast.cases.models import Action, Melding, Party
from woonoverlast.measures.models import MeasureStep
from woonoverlast.submissions.forms import OnceFormMixin

from .models import DocumentType, LetterTemplate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows ("Uploading multiple
    files"). The checks of each file are the service's (documents_upload)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_file_clean(item, initial) for item in data]
        return [single_file_clean(data, initial)] if data else []


class UploadForm(OnceFormMixin, forms.Form):
    files = MultipleFileField(
        label="Bestanden",
        help_text="",
        error_messages={"required": "Kies een of meer bestanden."},
    )
    document_type = forms.ChoiceField(
        label="Soort",
        choices=[("", "Naar het bestand (foto, e-mail of overig)"), *DocumentType.choices],
        required=False,
        help_text="Per bestand: Foto alleen voor afbeeldingen en E-mail alleen voor e-mails; "
        "de andere bestanden krijgen de soort die bij het bestand past. U kunt de soort per "
        "document achteraf wijzigen.",
    )
    title = forms.CharField(
        label="Titel",
        max_length=200,
        required=False,
        help_text="Bij één bestand; leeg of bij meer bestanden: de bestandsnaam.",
    )
    action = forms.ModelChoiceField(
        label="Bij actie", queryset=Action.objects.none(), required=False, empty_label="Geen"
    )
    melding = forms.ModelChoiceField(
        label="Bij melding", queryset=Melding.objects.none(), required=False, empty_label="Geen"
    )
    confidential = forms.BooleanField(
        label="Vertrouwelijk",
        required=False,
        help_text="Alleen de casemanager van deze casus en teamleiders zien het document.",
    )

    def __init__(self, *args, case, max_mb: int, allowed: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = (
            f"U kunt meer bestanden tegelijk kiezen, elk hoogstens {max_mb} MB. Toegestaan: "
            f"{allowed}. Van foto's worden de metagegevens (zoals de GPS-locatie) verwijderd."
        )
        self.fields["action"].queryset = case.actions.in_force().order_by("-performed_on", "-pk")
        self.fields["melding"].queryset = case.meldingen.filter(withdrawn_at__isnull=True).order_by(
            "-received_on", "-pk"
        )


class VersionForm(OnceFormMixin, forms.Form):
    file = forms.FileField(label="Nieuwe versie", error_messages={"required": "Kies een bestand."})


class LetterForm(OnceFormMixin, forms.Form):
    template = forms.ModelChoiceField(
        label="Sjabloon",
        queryset=LetterTemplate.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies een sjabloon."},
    )
    party = forms.ModelChoiceField(
        label="Aan",
        queryset=Party.objects.none(),
        required=False,
        empty_label="Geen (bij een maatregelstap: de veroorzaker)",
    )
    step = forms.ModelChoiceField(
        label="Bij maatregelstap",
        queryset=MeasureStep.objects.none(),
        required=False,
        empty_label="Geen",
        help_text="Een brief bij een stap van een maatregel krijgt de termijnen van die "
        "maatregel en komt bij die stap te staan.",
    )

    def __init__(self, *args, case, templates, show_parties: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["step"].queryset = (
            MeasureStep.objects.filter(measure__case=case)
            .select_related("measure")
            .order_by("-occurred_on", "-id")
        )
        self.fields["step"].label_from_instance = lambda step: (
            f"{step.measure.get_kind_display()}: {step}"
        )
        if show_parties:
            self.fields["party"].queryset = case.parties.filter(
                anonymised_at__isnull=True, withdrawn_at__isnull=True
            )
        else:
            del self.fields["party"]


class DocumentTypeForm(forms.Form):
    document_type = forms.ChoiceField(label="Soort", choices=DocumentType.choices)
