"""The API's view of the case domain, in Dutch snake_case. Input serializers only parse (types,
names of wijken, categories and users): every rule is checked by the service they feed."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from woonoverlast.cases.choices import (
    ActionType,
    ClosingReason,
    Complexity,
    HousingType,
    MeldingSource,
    PartyRole,
    Status,
)
from woonoverlast.cases.models import Action, Case, Melding, Party, StatusChange
from woonoverlast.cases.services.import_files import COLUMN_OF_ARGUMENT, Lookups

# Service argument -> API field, for the service's errors (the import's column names first).
CASE_FIELDS = {
    **COLUMN_OF_ARGUMENT,
    "categories": "categorie",
    "complexity": "complexiteit",
    "next_review_on": "volgende_evaluatie",
    "corporation": "woningcorporatie",
    "partners": "ketenpartners",
}


class LookupMixin:
    """Names (wijk, categorie, casemanager) matched as the import matches them."""

    @property
    def lookups(self) -> Lookups:
        if not hasattr(self, "_lookups"):
            self._lookups = Lookups()
        return self._lookups

    def _lookup(self, finder, value):
        try:
            return finder(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error).rstrip(".").capitalize() + ".") from None

    def validate_wijk(self, value):
        return self._lookup(self.lookups.district, value)

    def validate_categorie(self, value):
        found = []
        for name in value:
            found += self._lookup(self.lookups.category_list, name)
        return found

    def validate_casemanager(self, value):
        return self._lookup(self.lookups.casemanager, value) if value else None


# -- reading ---------------------------------------------------------------------------------


class CaseListSerializer(serializers.ModelSerializer):
    # A row of the case list: the case's facts without personal data (no address), so that a
    # list never shows what the closed-case rule would hide; the address is in the case file.

    referentie = serializers.CharField(source="reference")
    wijk = serializers.CharField(source="district.name")
    woningtype = serializers.ChoiceField(source="housing_type", choices=HousingType.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    geregistreerd_op = serializers.DateField(source="registered_on")
    afgerond_op = serializers.DateField(source="closed_on", allow_null=True)
    categorie = serializers.SlugRelatedField(
        source="categories", slug_field="code", many=True, read_only=True
    )
    casemanager = serializers.CharField(
        source="casemanager.username", allow_null=True, default=None
    )
    complexiteit = serializers.ChoiceField(source="complexity", choices=Complexity.choices)

    class Meta:
        model = Case
        fields = [
            "referentie",
            "wijk",
            "woningtype",
            "status",
            "geregistreerd_op",
            "afgerond_op",
            "categorie",
            "casemanager",
            "complexiteit",
        ]
        read_only_fields = fields


class PartySerializer(serializers.ModelSerializer):
    rol = serializers.ChoiceField(source="role", choices=PartyRole.choices)
    naam = serializers.CharField(source="name", max_length=200)
    telefoon = serializers.CharField(source="phone", required=False, default="")
    email = serializers.CharField(required=False, default="")
    adres = serializers.CharField(source="address", required=False, default="")
    notities = serializers.CharField(source="notes", required=False, default="")

    class Meta:
        model = Party
        fields = ["id", "rol", "naam", "telefoon", "email", "adres", "notities"]
        read_only_fields = ["id"]


class CaseArchiveSerializer(serializers.Serializer):
    # The ZGW Zaken attributes of a closed case (Selectielijst 2020): null while open.
    resultaat = serializers.CharField(source="result_type.number")
    resultaat_omschrijving = serializers.CharField(source="result_type.description")
    archiefnominatie = serializers.CharField(allow_null=True)
    brondatum = serializers.DateField(allow_null=True)
    archiefactiedatum = serializers.DateField(allow_null=True)

    def to_representation(self, archive):
        data = super().to_representation(archive)
        data["archiefnominatie"] = data["archiefnominatie"] or None
        return data


class CaseDetailSerializer(CaseListSerializer):
    # The case file. Its personal data (address, description, parties) only when
    # accounts.roles.can_see_parties says so (the view passes `show_personal_data` in the
    # context); otherwise those fields are null, as the screen hides them.

    PERSONAL_DATA = ("straat", "huisnummer", "toevoeging", "postcode", "omschrijving")

    straat = serializers.CharField(source="street", allow_null=True)
    huisnummer = serializers.IntegerField(source="house_number", allow_null=True)
    toevoeging = serializers.CharField(source="house_number_addition", allow_null=True)
    postcode = serializers.CharField(allow_null=True)
    omschrijving = serializers.CharField(source="description", allow_null=True)
    woningcorporatie = serializers.CharField(
        source="corporation.name", allow_null=True, default=None
    )
    ketenpartners = serializers.SlugRelatedField(
        source="partners", slug_field="name", many=True, read_only=True
    )
    volgende_evaluatie = serializers.DateField(source="next_review_on", allow_null=True)
    versie = serializers.IntegerField(
        source="version", help_text="Stuur deze mee bij PATCH (optimistische vergrendeling)."
    )
    persoonsgegevens_zichtbaar = serializers.SerializerMethodField(
        help_text="Onwaar: de casus is afgerond en u hebt er geen toegang toe; adres, "
        "omschrijving en betrokkenen zijn dan null."
    )
    betrokkenen = serializers.SerializerMethodField()
    archief = serializers.SerializerMethodField(
        help_text="Resultaat, archiefnominatie, brondatum en archiefactiedatum (Selectielijst "
        "2020) van een afgeronde casus; null zolang de casus loopt."
    )

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "straat",
            "huisnummer",
            "toevoeging",
            "postcode",
            "omschrijving",
            "woningcorporatie",
            "ketenpartners",
            "volgende_evaluatie",
            "versie",
            "persoonsgegevens_zichtbaar",
            "betrokkenen",
            "archief",
        ]
        read_only_fields = fields

    def _shown(self) -> bool:
        return bool(self.context.get("show_personal_data"))

    def to_representation(self, case):
        data = super().to_representation(case)
        if not self._shown():
            data.update(dict.fromkeys(self.PERSONAL_DATA))
        return data

    def get_persoonsgegevens_zichtbaar(self, case) -> bool:
        return self._shown()

    @extend_schema_field(CaseArchiveSerializer(allow_null=True))
    def get_archief(self, case):
        from woonoverlast.archiving.models import CaseArchive

        archive = CaseArchive.objects.filter(case=case).select_related("result_type").first()
        return CaseArchiveSerializer(archive).data if archive else None

    @extend_schema_field(PartySerializer(many=True, allow_null=True))
    def get_betrokkenen(self, case):
        if not self._shown():
            return None
        return PartySerializer(case.parties.all(), many=True).data


# The schema keeps the component name it was published with: clients generated from it use it.
@extend_schema_serializer(component_name="Report")
class MeldingSerializer(serializers.ModelSerializer):
    datum = serializers.DateField(source="received_on")
    bron = serializers.ChoiceField(source="source", choices=MeldingSource.choices)
    tekst = serializers.CharField(source="text")
    vastgelegd_door = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Melding
        fields = ["id", "datum", "bron", "tekst", "vastgelegd_door"]
        read_only_fields = ["id", "vastgelegd_door"]


class ActionSerializer(serializers.ModelSerializer):
    soort = serializers.ChoiceField(source="action_type", choices=ActionType.choices)
    datum = serializers.DateField(source="performed_on")
    notities = serializers.CharField(source="notes", required=False, default="")
    vervolgdatum = serializers.DateField(source="follow_up_on", required=False, allow_null=True)
    vervolg_afgehandeld_op = serializers.DateField(
        source="follow_up_done_on", read_only=True, allow_null=True
    )
    aanwezig = serializers.CharField(
        source="present", required=False, default="", help_text="Alleen bij een huisbezoek."
    )
    bevindingen = serializers.CharField(
        source="findings", required=False, default="", help_text="Alleen bij een huisbezoek."
    )
    uitgevoerd_door = serializers.CharField(
        source="performed_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "soort",
            "datum",
            "notities",
            "vervolgdatum",
            "vervolg_afgehandeld_op",
            "aanwezig",
            "bevindingen",
            "uitgevoerd_door",
        ]
        read_only_fields = ["id", "vervolg_afgehandeld_op", "uitgevoerd_door"]


class StatusChangeSerializer(serializers.ModelSerializer):
    referentie = serializers.CharField(source="case.reference")
    status = serializers.ChoiceField(choices=Status.choices)
    datum = serializers.DateField(source="effective_on")
    reden = serializers.CharField(source="closing_reason")

    class Meta:
        model = StatusChange
        fields = ["referentie", "status", "datum", "reden"]
        read_only_fields = fields


# -- writing ---------------------------------------------------------------------------------


class CaseCreateSerializer(LookupMixin, serializers.Serializer):
    # POST casussen/: the import's columns, but never a reference: the app makes it. Only the
    # import of existing cases keeps their references (cases.services.references); a chosen
    # one here could push the year's counter anywhere.

    wijk = serializers.CharField(help_text="Naam van een wijk (GET wijken/).")
    woningtype = serializers.ChoiceField(choices=HousingType.choices)
    geregistreerd_op = serializers.DateField(help_text="JJJJ-MM-DD")
    straat = serializers.CharField(required=False, default="", allow_blank=True)
    huisnummer = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=99999
    )
    toevoeging = serializers.CharField(required=False, default="", allow_blank=True)
    postcode = serializers.CharField(required=False, default="", allow_blank=True)
    categorie = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="Codes of namen van categorieën (GET categorieen/).",
    )
    omschrijving = serializers.CharField(required=False, default="", allow_blank=True)
    casemanager = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="Gebruikersnaam. Alleen een teamleider wijst een ander toe; leeg bij een "
        "casemanager: de casemanager zelf.",
    )

    def validate(self, attrs):
        if self.initial_data.get("referentie") not in (None, ""):
            raise serializers.ValidationError(
                {
                    "referentie": "Een referentie wordt gemaakt bij het registreren; alleen de "
                    "import van bestaande casussen neemt een eigen referentie over."
                }
            )
        return super().validate(attrs)

    def service_arguments(self) -> dict:
        data = self.validated_data
        return {
            "district": data["wijk"],
            "housing_type": data["woningtype"],
            "registered_on": data["geregistreerd_op"],
            "street": data["straat"],
            "house_number": data["huisnummer"],
            "house_number_addition": data["toevoeging"],
            "postcode": data["postcode"],
            "categories": data["categorie"],
            "description": data["omschrijving"],
        }


class CaseUpdateSerializer(LookupMixin, serializers.Serializer):
    # PATCH casussen/{referentie}/: the facts to correct, and the `versie` they were read at.

    versie = serializers.IntegerField(
        min_value=1, help_text="De versie uit GET; een andere versie geeft 409."
    )
    wijk = serializers.CharField(required=False)
    woningtype = serializers.ChoiceField(choices=HousingType.choices, required=False)
    geregistreerd_op = serializers.DateField(required=False)
    straat = serializers.CharField(required=False, allow_blank=True)
    huisnummer = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=99999
    )
    toevoeging = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(required=False, allow_blank=True)
    categorie = serializers.ListField(child=serializers.CharField(), required=False)
    omschrijving = serializers.CharField(required=False, allow_blank=True)
    complexiteit = serializers.ChoiceField(choices=Complexity.choices, required=False)
    volgende_evaluatie = serializers.DateField(required=False, allow_null=True)

    FACTS = {
        "wijk": "district",
        "woningtype": "housing_type",
        "geregistreerd_op": "registered_on",
        "straat": "street",
        "huisnummer": "house_number",
        "toevoeging": "house_number_addition",
        "postcode": "postcode",
        "omschrijving": "description",
        "complexiteit": "complexity",
        "volgende_evaluatie": "next_review_on",
    }

    def service_arguments(self) -> dict:
        data = self.validated_data
        arguments = {self.FACTS[name]: value for name, value in data.items() if name in self.FACTS}
        if "categorie" in data:
            arguments["categories"] = data["categorie"]
        arguments["expected_version"] = data["versie"]
        return arguments


class CloseSerializer(serializers.Serializer):
    datum = serializers.DateField()
    reden = serializers.ChoiceField(choices=ClosingReason.choices)
    toelichting = serializers.CharField(required=False, default="", allow_blank=True)


class ReopenSerializer(serializers.Serializer):
    datum = serializers.DateField()
    reden = serializers.CharField(help_text="Waarom de casus heropend wordt.")
