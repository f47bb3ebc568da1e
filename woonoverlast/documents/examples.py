"""The Dutch example letter templates the team adapts. Built with python-docx (command
`voorbeeldsjablonen --bestanden`) and committed under example_templates/; the command loads
them as letter templates.

Each merge field is one run of text, so Word keeps `{{ casus.referentie }}` in one piece.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document as WordDocument
from docx.shared import Pt

FOLDER = Path(__file__).resolve().parent / "example_templates"
FIELD = re.compile(r"(\{\{.*?\}\})")

# Name, street line, place line: `2711 DM  ZOETERMEER` (postcode, two spaces, place in
# capitals) is how PostNL wants the last line.
ADDRESS_BLOCK = [
    "{{ betrokkene.naam }}",
    "{{ betrokkene.adresregel }}",
    "{{ betrokkene.postcode_plaats }}",
    "",
]
SENDER = [
    "Met vriendelijke groet,",
    "",
    "{{ casemanager.naam }}",
    "Team Woonoverlast, gemeente Zoetermeer",
    "{{ casemanager.email }}",
]
# The bezwaartermijn runs from the day after bekendmaking (art. 6:7 and 6:8 Awb): the letter
# that makes the besluit known says so ("binnen zes weken na de dag van verzending van dit
# besluit"); once the bekendmaking is recorded, the field gives the last day (Atw-exact).
BEZWAAR = (
    "Bent u het niet eens met dit besluit? Dan kunt u {{ maatregel.bezwaartermijn }} een "
    "bezwaarschrift indienen bij de burgemeester (artikel 6:7 en 6:8 van de Algemene wet "
    "bestuursrecht). Het bezwaarschrift moet ondertekend zijn en bevat ten minste uw naam en "
    "adres, de datum, een omschrijving van het besluit waartegen u bezwaar maakt en de redenen "
    "van uw bezwaar. Een bezwaarschrift schorst de werking van dit besluit niet. Bij spoed "
    "kunt u de voorzieningenrechter van de rechtbank vragen om een voorlopige voorziening."
)


@dataclass(frozen=True)
class Example:
    name: str
    description: str
    filename: str
    paragraphs: list[str]


EXAMPLES = [
    Example(
        "Uitnodiging gesprek",
        "Nodigt een betrokkene uit voor een gesprek over de overlast.",
        "uitnodiging-gesprek.docx",
        [
            *ADDRESS_BLOCK,
            "Zoetermeer, {{ vandaag }}",
            "Ons kenmerk: {{ casus.referentie }}",
            "Onderwerp: uitnodiging voor een gesprek",
            "",
            "Beste {{ betrokkene.naam }},",
            "",
            "Bij de gemeente zijn meldingen binnengekomen over woonoverlast rond "
            "{{ casus.adres }}. Wij willen graag met u in gesprek om te horen hoe u de situatie "
            "ervaart en samen te zoeken naar een oplossing.",
            "Wilt u binnen twee weken contact opnemen met {{ casemanager.naam }} om een afspraak "
            "te maken? Dat kan per e-mail via {{ casemanager.email }}.",
            "",
            *SENDER,
        ],
    ),
    Example(
        "Schriftelijke waarschuwing",
        "Waarschuwt de veroorzaker dat de gemeente maatregelen kan nemen als de overlast doorgaat.",
        "schriftelijke-waarschuwing.docx",
        [
            *ADDRESS_BLOCK,
            "Zoetermeer, {{ vandaag }}",
            "Ons kenmerk: {{ casus.referentie }}",
            "Onderwerp: schriftelijke waarschuwing woonoverlast",
            "",
            "Beste {{ betrokkene.naam }},",
            "",
            "De gemeente heeft meldingen ontvangen over ernstige en herhaaldelijke overlast "
            "vanuit of rond de woning {{ casus.adres }}. Wij hebben hierover al eerder contact "
            "met u gehad.",
            "Met deze brief waarschuwen wij u: stopt de overlast niet, dan kan de burgemeester "
            "u een gedragsaanwijzing opleggen (artikel 151d van de Gemeentewet). Daarin staat "
            "wat u moet doen of laten; houdt u zich daar niet aan, dan kan een last onder "
            "dwangsom of bestuursdwang volgen.",
            "Wij gaan ervan uit dat het niet zover hoeft te komen. Hebt u hulp nodig om de "
            "overlast te stoppen, neem dan contact op met {{ casemanager.naam }} via "
            "{{ casemanager.email }}.",
            "",
            *SENDER,
        ],
    ),
    Example(
        "Voornemen gedragsaanwijzing",
        "Kondigt het besluit aan en geeft de termijn voor een zienswijze (maak de brief vanuit "
        "de stap 'voornemen' van de maatregel).",
        "voornemen-gedragsaanwijzing.docx",
        [
            *ADDRESS_BLOCK,
            "Zoetermeer, {{ vandaag }}",
            "Ons kenmerk: {{ casus.referentie }}",
            "Onderwerp: voornemen tot het opleggen van een {{ maatregel.soort }}",
            "",
            "Beste {{ betrokkene.naam }},",
            "",
            "De burgemeester is van plan u een {{ maatregel.soort }} op te leggen vanwege de "
            "ernstige en herhaaldelijke woonoverlast vanuit de woning {{ casus.adres }} "
            "(artikel 151d van de Gemeentewet). In het onderzoeksverslag bij deze brief leest u "
            "waarop dit voornemen berust.",
            "Voordat de burgemeester besluit, mag u uw mening (zienswijze) geven, schriftelijk "
            "of mondeling (artikel 4:8 van de Algemene wet bestuursrecht). Uw zienswijze moet "
            "uiterlijk op {{ maatregel.zienswijze_termijn_einde }} bij ons binnen zijn. Wilt u "
            "uw zienswijze mondeling geven, neem dan contact op met {{ casemanager.naam }} via "
            "{{ casemanager.email }}.",
            "",
            *SENDER,
        ],
    ),
    Example(
        "Besluit gedragsaanwijzing",
        "Het besluit van de burgemeester, met de bezwaarclausule en de berekende "
        "bezwaartermijn (maak de brief vanuit de stap 'besluit' van de maatregel).",
        "besluit-gedragsaanwijzing.docx",
        [
            *ADDRESS_BLOCK,
            "Zoetermeer, {{ maatregel.besluit_op }}",
            "Ons kenmerk: {{ casus.referentie }}",
            "Onderwerp: besluit {{ maatregel.soort }}",
            "",
            "Beste {{ betrokkene.naam }},",
            "",
            "De burgemeester heeft besloten u een {{ maatregel.soort }} op te leggen op grond "
            "van artikel 151d van de Gemeentewet, vanwege de ernstige en herhaaldelijke "
            "woonoverlast vanuit de woning {{ casus.adres }}.",
            "U moet aan dit besluit voldoen {{ maatregel.begunstigingstermijn }}.",
            "",
            "Bezwaar",
            BEZWAAR,
            "",
            *SENDER,
        ],
    ),
    Example(
        "Terugkoppeling aan melder",
        "Laat de melder weten wat de gemeente met de melding doet, zonder gegevens over anderen.",
        "terugkoppeling-melder.docx",
        [
            *ADDRESS_BLOCK,
            "Zoetermeer, {{ vandaag }}",
            "Ons kenmerk: {{ casus.referentie }}",
            "Onderwerp: uw melding over woonoverlast",
            "",
            "Beste {{ betrokkene.naam }},",
            "",
            "Dank u wel voor uw melding over woonoverlast in de wijk {{ casus.wijk }}. Wij "
            "nemen uw melding serieus en zijn met de situatie bezig.",
            "Om de privacy van alle betrokkenen te beschermen, kunnen wij u niet vertellen "
            "welke stappen wij precies zetten of met wie wij spreken. Blijft u overlast "
            "ervaren, meld dit dan opnieuw en noem het kenmerk {{ casus.referentie }}.",
            "Hebt u vragen, neem dan contact op met {{ casemanager.naam }} via "
            "{{ casemanager.email }}.",
            "",
            *SENDER,
        ],
    ),
]


def build(example: Example) -> WordDocument:
    document = WordDocument()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    for text in example.paragraphs:
        paragraph = document.add_paragraph()
        for index, part in enumerate(FIELD.split(text)):
            if part:
                run = paragraph.add_run(part)
                run.bold = text in ("Bezwaar",) and index == 0
    document.core_properties.title = example.name
    document.core_properties.author = "Gemeente Zoetermeer, team Woonoverlast"
    return document


def examples_load(*, by=None) -> list[tuple[str, bool]]:
    """Load the example templates that are not there yet (by name: a team's own version of
    one is left alone), as `manage.py voorbeeldsjablonen` and the demo do; idempotent.
    Returns (name, loaded now) per example."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .models import LetterTemplate
    from .services import letter_template_upload

    done = []
    for example in EXAMPLES:
        if LetterTemplate.objects.filter(name=example.name).exists():
            done.append((example.name, False))
            continue
        letter_template_upload(
            name=example.name,
            description=example.description,
            file=SimpleUploadedFile(example.filename, (FOLDER / example.filename).read_bytes()),
            by=by,
        )
        done.append((example.name, True))
    return done


def write_files(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for example in EXAMPLES:
        path = folder / example.filename
        build(example).save(path)
        paths.append(path)
    return paths
