"""`manage.py casussen_importeren`: CSV as Excel writes it and XLSX, all or nothing."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tests.factories import CaseFactory, casemanager
from woonoverlast.cases.choices import ClosingReason, HousingType, Status
from woonoverlast.cases.models import Case, StatusChange

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 15, 12, 0), tick=False):
        yield


def write_csv(tmp_path, lines, *, delimiter=",", encoding="utf-8", name="casussen.csv"):
    path = tmp_path / name
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def run_import(path, *args) -> str:
    out = StringIO()
    call_command("casussen_importeren", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused_import(path) -> str:
    """Run an import that must fail as a whole; returns what it printed about the rows."""
    err = StringIO()
    with pytest.raises(CommandError, match="Niets geïmporteerd"):
        call_command("casussen_importeren", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


HEADER = ["referentie", "wijk", "woningtype", "geregistreerd_op", "afgerond_op"]


class TestFormats:
    def test_comma_csv_with_iso_dates(self, tmp_path):
        path = write_csv(
            tmp_path,
            [
                HEADER,
                ["", "Centrum", "koop", "2023-03-01", ""],
                ["", "Meerzicht", "corporatie", "2023-01-01", "2023-12-31"],
            ],
        )
        out = run_import(path)
        assert "2 casussen geïmporteerd" in out
        open_case, closed_case = Case.objects.order_by("district__display_order")
        assert (open_case.district.name, open_case.housing_type, open_case.registered_on) == (
            "Centrum",
            HousingType.KOOP,
            D(2023, 3, 1),
        )
        assert open_case.status == Status.OPEN
        assert (closed_case.status, closed_case.closed_on) == (Status.CLOSED, D(2023, 12, 31))
        closing = closed_case.status_changes.current().get()
        assert closing.closing_reason == ClosingReason.OTHER

    def test_semicolon_csv_with_dutch_dates_and_a_bom(self, tmp_path):
        path = write_csv(
            tmp_path,
            [
                [h.upper() for h in HEADER],  # headers are matched case-insensitively
                ["", "de leyens", "Particulier", "01-03-2023", "15-3-2023"],
            ],
            delimiter=";",
            encoding="utf-8-sig",
        )
        run_import(path)
        case = Case.objects.get()
        assert (case.district.name, case.housing_type) == ("De Leyens", HousingType.PARTICULIER)
        assert (case.registered_on, case.closed_on) == (D(2023, 3, 1), D(2023, 3, 15))

    def test_excel_windows_csv(self, tmp_path):
        path = write_csv(
            tmp_path,
            [[*HEADER, "omschrijving"], ["", "Centrum", "koop", "01-03-2023", "", "Overlast café"]],
            delimiter=";",
            encoding="cp1252",
        )
        run_import(path)
        assert Case.objects.get().description == "Overlast café"

    def test_quoted_fields_with_the_delimiter_inside(self, tmp_path):
        path = tmp_path / "c.csv"
        path.write_text(
            "wijk,woningtype,geregistreerd_op,categorie,omschrijving\n"
            'Centrum,koop,2023-03-01,"geluidsoverlast, verzamelwoede","Muziek, geschreeuw"\n',
            encoding="utf-8",
        )
        run_import(path)
        case = Case.objects.get()
        assert case.description == "Muziek, geschreeuw"
        assert sorted(case.categories.values_list("code", flat=True)) == [
            "geluidsoverlast",
            "verzamelwoede",
        ]

    def test_xlsx_with_date_cells_and_text_dates(self, tmp_path):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append([*HEADER, "huisnummer", "postcode"])
        sheet.append(
            ["WO-2023-0100", "Oosterheem", "corporatie", D(2023, 1, 1), None, 12, "2726ab"]
        )
        sheet.append(["", "Seghwaert", "koop", "31-12-2023", "2023-12-31", "7b", None])
        sheet.append([None] * 7)  # Excel often keeps empty rows at the end
        path = tmp_path / "casussen.xlsx"
        workbook.save(path)

        run_import(path)
        first = Case.objects.get(reference="WO-2023-0100")
        assert (first.registered_on, first.house_number, first.postcode) == (
            D(2023, 1, 1),
            12,
            "2726 AB",
        )
        second = Case.objects.exclude(pk=first.pk).get()
        assert second.reference == "WO-2023-0101"  # numbered on after the imported one
        assert (second.house_number, second.house_number_addition) == (7, "B")
        assert (second.registered_on, second.closed_on) == (D(2023, 12, 31), D(2023, 12, 31))

    def test_optional_columns(self, tmp_path):
        worker = casemanager(username="sdevries")
        path = write_csv(
            tmp_path,
            [
                [
                    "wijk",
                    "woningtype",
                    "geregistreerd_op",
                    "categorie",
                    "omschrijving",
                    "casemanager",
                ],
                [
                    "Centrum",
                    "koop",
                    "2023-03-01",
                    "Verward gedrag / Verslaving|overig",
                    "Tekst",
                    "SDeVries",
                ],
            ],
        )
        run_import(path)
        case = Case.objects.get()
        assert case.casemanager == worker
        assert case.description == "Tekst"
        assert sorted(case.categories.values_list("code", flat=True)) == [
            "overig",
            "verward-gedrag-verslaving",
        ]


class TestAllOrNothing:
    def assert_refused(self, path, *expected_lines):
        stderr = refused_import(path)
        for line in expected_lines:
            assert line in stderr
        assert not Case.objects.exists()
        assert not StatusChange.objects.exists()
        return stderr

    def good_row(self):
        return ["", "Centrum", "koop", "2023-03-01", ""]

    def test_unknown_wijk(self, tmp_path):
        path = write_csv(
            tmp_path, [HEADER, self.good_row(), ["", "Buytenweg", "koop", "2023-03-01", ""]]
        )
        self.assert_refused(path, "Rij 3: wijk: onbekende wijk 'Buytenweg'. Bedoelt u Buytenwegh?")

    def test_unknown_housing_type(self, tmp_path):
        path = write_csv(
            tmp_path, [HEADER, ["", "Centrum", "huur", "2023-03-01", ""], self.good_row()]
        )
        self.assert_refused(path, "Rij 2: woningtype: onbekend woningtype 'huur'")

    @pytest.mark.parametrize("bad", ["2023-02-30", "1-3-23", "maart 2023", "2023/03/01"])
    def test_bad_date(self, tmp_path, bad):
        path = write_csv(tmp_path, [HEADER, self.good_row(), ["", "Centrum", "koop", bad, ""]])
        self.assert_refused(
            path,
            f"Rij 3: geregistreerd_op: '{bad}' is geen geldige datum (gebruik jjjj-mm-dd of "
            "dd-mm-jjjj).",
        )

    def test_closing_before_registration(self, tmp_path):
        path = write_csv(
            tmp_path, [HEADER, self.good_row(), ["", "Centrum", "koop", "2023-03-01", "2023-02-28"]]
        )
        self.assert_refused(
            path,
            "Rij 3: afgerond_op: De datum mag niet voor de registratiedatum (01-03-2023) liggen.",
        )

    def test_dates_in_the_future(self, tmp_path):
        path = write_csv(tmp_path, [HEADER, ["", "Centrum", "koop", "2024-06-16", ""]])
        self.assert_refused(
            path, "Rij 2: geregistreerd_op: De datum mag niet in de toekomst liggen."
        )

    def test_missing_required_value(self, tmp_path):
        path = write_csv(tmp_path, [HEADER, ["", "", "koop", "2023-03-01", ""]])
        self.assert_refused(path, "Rij 2: wijk: dit veld is verplicht.")

    def test_duplicate_referentie_in_the_database(self, tmp_path):
        existing = CaseFactory(reference="WO-2023-0042")
        path = write_csv(
            tmp_path,
            [HEADER, self.good_row(), ["WO-2023-0042", "Centrum", "koop", "2023-03-01", ""]],
        )
        stderr = refused_import(path)
        assert "Rij 3: referentie: Referentie WO-2023-0042 bestaat al." in stderr
        assert list(Case.objects.all()) == [existing]

    def test_duplicate_referentie_in_the_file(self, tmp_path):
        row = ["X-1", "Centrum", "koop", "2023-03-01", ""]
        path = write_csv(tmp_path, [HEADER, row, self.good_row(), row])
        self.assert_refused(path, "Rij 4: referentie: X-1 staat ook al in rij 2.")

    def test_every_problem_is_reported_at_once(self, tmp_path):
        path = write_csv(
            tmp_path,
            [
                HEADER,
                ["", "Nergens", "koop", "2023-03-01", ""],
                self.good_row(),
                ["", "Centrum", "koop", "2023-03-01", "2023-01-01"],
            ],
        )
        stderr = self.assert_refused(path, "Rij 2: wijk", "Rij 4: afgerond_op")
        assert stderr.count("Rij ") == 2

    def test_an_invisible_nul_character(self, tmp_path):
        path = tmp_path / "c.csv"
        path.write_bytes(
            b'wijk,woningtype,geregistreerd_op,omschrijving\nCentrum,koop,2023-03-01,"a\x00b"\n'
        )
        self.assert_refused(
            path, "Rij 2: omschrijving: bevat een ongeldig, onzichtbaar teken (NUL)."
        )

    def test_a_description_longer_than_a_form_allows(self, tmp_path):
        path = write_csv(
            tmp_path,
            [[*HEADER, "omschrijving"], ["", "Centrum", "koop", "2023-03-01", "", "x" * 10_001]],
        )
        self.assert_refused(path, "Rij 2: omschrijving: te lang (10001 tekens; hoogstens 10000).")

    def test_missing_column(self, tmp_path):
        path = write_csv(tmp_path, [["wijk", "geregistreerd_op"], ["Centrum", "2023-03-01"]])
        self.assert_refused(path, "Rij 1: Verplichte kolom ontbreekt: woningtype.")

    def test_unknown_file_type(self, tmp_path):
        path = tmp_path / "casussen.ods"
        path.write_bytes(b"x")
        self.assert_refused(path, "Onbekend bestandstype '.ods'")

    def test_broken_xlsx(self, tmp_path):
        path = tmp_path / "casussen.xlsx"
        path.write_bytes(b"geen excel")
        self.assert_refused(path, "Het bestand is geen leesbaar Excel-bestand")

    def test_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="bestaat niet"):
            run_import(tmp_path / "weg.csv")

    def test_importing_the_same_file_twice_changes_nothing(self, tmp_path):
        path = write_csv(
            tmp_path,
            [
                HEADER,
                ["WO-2023-0001", "Centrum", "koop", "2023-03-01", ""],
                ["WO-2023-0002", "Centrum", "koop", "2023-03-02", "2023-04-01"],
            ],
        )
        run_import(path)
        before = list(Case.objects.values_list("reference", "status", "closed_on"))
        refused_import(path)
        assert list(Case.objects.values_list("reference", "status", "closed_on")) == before
        assert StatusChange.objects.count() == 3

    def test_check_only_imports_nothing(self, tmp_path):
        path = write_csv(tmp_path, [HEADER, self.good_row()])
        out = run_import(path, "--controleer")
        assert "Geen fouten gevonden: 1 casussen kunnen worden geïmporteerd" in out
        assert not Case.objects.exists()


class TestMalformedFiles:
    """Issue 17, finding 5: the csv module read the rows after an unclosed quote as one field,
    so a 100-row file imported as 5 cases; a field over 131,072 characters was a traceback."""

    HEADER = ["wijk", "woningtype", "geregistreerd_op", "omschrijving"]

    def rows(self, count=100):
        return [["Centrum", "koop", "2023-03-01", f"Melding {n}"] for n in range(2, count + 2)]

    def test_an_unclosed_quote_refuses_the_file_naming_the_row(self, tmp_path):
        rows = self.rows()
        rows[4][3] = '"Overlast sinds de zomer'  # Excel row 6
        path = write_csv(tmp_path, [self.HEADER, *rows])
        err = StringIO()
        with pytest.raises(CommandError, match="Niets geïmporteerd"):
            call_command(
                "casussen_importeren", str(path), "--controleer", stdout=StringIO(), stderr=err
            )
        assert "Rij 6: een veld begint met een aanhalingsteken" in err.getvalue()
        assert "niet meer wordt gesloten" in err.getvalue()
        assert not Case.objects.exists()

    def test_a_quote_closed_rows_later_refuses_the_file_too(self, tmp_path):
        rows = self.rows(20)
        rows[4][3] = '"Overlast sinds de zomer'
        rows[14][3] = 'Zegt "stop'  # a stray quote that 'closes' the one of row 6
        path = write_csv(tmp_path, [self.HEADER, *rows])
        assert "Rij 6: een veld begint met een aanhalingsteken" in refused_import(path)

    def test_a_cell_with_line_breaks_is_still_fine(self, tmp_path):
        rows = self.rows(3)
        rows[1][3] = '"Eerste regel, met komma\r\nTweede regel"'
        path = write_csv(tmp_path, [self.HEADER, *rows])
        run_import(path)
        assert Case.objects.count() == 3
        assert Case.objects.filter(description="Eerste regel, met komma\r\nTweede regel").exists()

    def test_a_huge_field_is_a_dutch_error_not_a_traceback(self, tmp_path):
        rows = self.rows(3)
        rows[1][3] = "x" * 200_000
        path = write_csv(tmp_path, [self.HEADER, *rows])
        assert "Rij 3: omschrijving: te lang (200000 tekens; hoogstens 10000)." in refused_import(
            path
        )

    def test_house_number_0_is_refused(self, tmp_path):
        path = write_csv(
            tmp_path,
            [
                ["wijk", "woningtype", "geregistreerd_op", "straat", "huisnummer"],
                ["Centrum", "koop", "2023-03-01", "Dorpsstraat", "0"],
            ],
        )
        assert "Rij 2: huisnummer: Een huisnummer is 1 of hoger." in refused_import(path)


def test_the_services_refuse_house_number_0_for_every_caller():
    from django.core.exceptions import ValidationError

    from tests.factories import district
    from woonoverlast.cases import services

    with pytest.raises(ValidationError) as refused:
        services.case_register(
            district=district("Centrum"),
            housing_type=HousingType.KOOP,
            registered_on=D(2024, 1, 1),
            street="Dorpsstraat",
            house_number=0,
            by=None,
        )
    assert refused.value.message_dict["house_number"] == ["Een huisnummer is 1 of hoger."]
