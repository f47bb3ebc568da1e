"""The outputs of Tabel 5.1 built from given numbers: the prose, the year-over-year figures,
the CSV and the XLSX layout, the links to the case list, the chart."""

import csv
import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook

from reports import charts, exports, links, prose, tabel51, yearly
from woonoverlast.cases.choices import HousingType, Status
from woonoverlast.cases.models import District

D = datetime.date
KOOP, CORPORATIE, PARTICULIER = HousingType.KOOP, HousingType.CORPORATIE, HousingType.PARTICULIER
OPEN, CLOSED = Status.OPEN, Status.CLOSED

PUBLISHED_2023 = {
    "Centrum": (5, 3, 9, 15, 0, 5),
    "Meerzicht": (7, 8, 15, 25, 0, 0),
    "Buytenwegh": (1, 9, 15, 38, 1, 1),
    "De Leyens": (2, 5, 3, 4, 1, 1),
    "Seghwaert": (9, 12, 11, 9, 4, 0),
    "Noordhove": (5, 5, 3, 1, 5, 0),
    "Rokkeveen": (1, 5, 3, 6, 0, 0),
    "Oosterheem": (1, 9, 12, 9, 0, 1),
}
JAARVERSLAG_2023 = (
    "In totaal zijn in 2023 284 concrete casussen geregistreerd. Daarvan zijn er 171 afgerond. "
    "Het aantal openstaande casussen is 113. In 71 openstaande casussen gaat het om "
    "corporatiewoningen. Het aantal openstaande casussen van koopwoningen is aanzienlijk lager, "
    "namelijk 31. De overige 11 openstaande casussen hebben betrekking op particuliere "
    "huurwoningen."
)


def districts(names):
    return [
        District(pk=i, name=name, display_order=i * 10, is_active=True)
        for i, name in enumerate(names, start=1)
    ]


def make_table(rows: dict[str, tuple[int, ...]], year=2023, as_of=None, kind=tabel51.YEAR):
    as_of = as_of or D(year, 12, 31)
    wijken = districts(rows)
    counts = {
        (district.pk, housing_type, status): n
        for district in wijken
        for (housing_type, status), n in zip(tabel51.COLUMNS, rows[district.name], strict=True)
    }
    first, last = tabel51.registration_window(year, as_of)
    return tabel51.layout(
        counts,
        wijken,
        kind=kind,
        year=year,
        as_of=as_of,
        registered_from=first if kind == tabel51.YEAR else None,
        registered_to=last if kind == tabel51.YEAR else D(year - 1, 12, 31),
    )


def one_row(koop_open=0, koop_closed=0, corp_open=0, corp_closed=0, part_open=0, part_closed=0):
    return make_table(
        {"Centrum": (koop_open, koop_closed, corp_open, corp_closed, part_open, part_closed)}
    )


class TestProse:
    def test_the_jaarverslag_2023_word_for_word(self):
        assert prose.totals_in_words(make_table(PUBLISHED_2023)) == JAARVERSLAG_2023

    def test_no_cases(self):
        assert (
            prose.totals_in_words(one_row()) == "In 2023 zijn geen concrete casussen geregistreerd."
        )

    def test_one_case_still_open(self):
        assert prose.totals_in_words(one_row(corp_open=1)) == (
            "In totaal is in 2023 1 concrete casus geregistreerd. Die is nog niet afgerond. "
            "Er is 1 openstaande casus. Die heeft betrekking op een corporatiewoning."
        )

    def test_all_closed(self):
        assert prose.totals_in_words(one_row(koop_closed=3, corp_closed=4)) == (
            "In totaal zijn in 2023 7 concrete casussen geregistreerd. Die zijn allemaal afgerond."
        )

    def test_one_closed_and_singular_counts(self):
        text = prose.totals_in_words(one_row(koop_open=1, corp_open=3, part_open=1, koop_closed=1))
        assert text == (
            "In totaal zijn in 2023 6 concrete casussen geregistreerd. Daarvan is er 1 afgerond. "
            "Het aantal openstaande casussen is 5. In 3 openstaande casussen gaat het om "
            "corporatiewoningen. Het aantal openstaande casussen van koopwoningen is "
            "aanzienlijk lager, namelijk 1. De overige openstaande casus heeft betrekking op een "
            "particuliere huurwoning."
        )

    @pytest.mark.parametrize(
        ("koop", "corporatie", "expected"),
        [
            (31, 71, "is aanzienlijk lager, namelijk 31."),
            (40, 71, "is lager, namelijk 40."),
            (71, 71, "is even hoog, namelijk 71."),
            (80, 71, "is hoger, namelijk 80."),
            (150, 71, "is aanzienlijk hoger, namelijk 150."),
        ],
    )
    def test_koop_is_only_called_lower_when_it_is(self, koop, corporatie, expected):
        text = prose.totals_in_words(one_row(koop_open=koop, corp_open=corporatie, part_open=2))
        assert f"Het aantal openstaande casussen van koopwoningen {expected}" in text
        if koop >= corporatie:
            assert "lager" not in text

    def test_zeros_are_said_plainly(self):
        text = prose.totals_in_words(one_row(koop_open=2, part_open=3))
        assert "Geen van de openstaande casussen gaat over een corporatiewoning." in text
        assert "Het aantal openstaande casussen van koopwoningen is 2." in text
        text = prose.totals_in_words(one_row(koop_open=2, corp_open=3))
        assert "Geen van de openstaande casussen heeft betrekking op een particuliere" in text
        text = prose.totals_in_words(one_row(corp_open=3, part_open=1))
        assert "Er zijn geen openstaande casussen van koopwoningen." in text

    def test_all_open_cases_of_one_type(self):
        assert prose.totals_in_words(one_row(part_open=4, koop_closed=2)).endswith(
            "Het aantal openstaande casussen is 4. Die hebben allemaal betrekking op "
            "particuliere huurwoningen."
        )

    def test_a_peildatum_in_the_year_is_named(self):
        table = make_table({"Centrum": (2, 1, 0, 0, 1, 0)}, as_of=D(2023, 6, 30))
        assert prose.totals_in_words(table).startswith(
            "Van 1 januari tot en met 30 juni 2023 zijn in totaal 4 concrete casussen "
            "geregistreerd. Daarvan is er op de peildatum (30 juni 2023) 1 afgerond."
        )

    def test_large_numbers_are_grouped(self):
        assert "12.345 concrete casussen" in prose.totals_in_words(one_row(koop_closed=12345))


class TestYearOverYear:
    @pytest.mark.parametrize(
        ("previous", "current", "expected"),
        [(255, 191, "-25%"), (59, 49, "-17%"), (100, 108, "+8%"), (10, 10, "0%"), (0, 0, "0%")],
    )
    def test_percent_change(self, previous, current, expected):
        assert yearly.percent_change(previous, current) == expected

    def test_nothing_to_compare_with(self):
        assert yearly.percent_change(0, 5) == "n.v.t."

    def test_the_figures_of_both_years(self):
        current = make_table(PUBLISHED_2023)
        previous = make_table({name: (1, 1, 1, 1, 1, 1) for name in PUBLISHED_2023}, year=2022)
        figures = {f.label: f for f in yearly.figures(current, previous)}
        assert (figures["Geregistreerd"].previous, figures["Geregistreerd"].current) == (48, 284)
        assert figures["Lopend"].current == 113 and figures["Afgerond"].current == 171
        assert figures["Lopend, corporatie"].current == 71
        assert figures["Buytenwegh"].current == 65 and figures["Buytenwegh"].is_district
        assert figures["Lopend"].change == f"+{round((113 - 24) * 100 / 24)}%"


class TestCsv:
    def test_header_rows_and_totaal_last(self):
        text = exports.csv_text(make_table(PUBLISHED_2023))
        lines = text.splitlines()
        assert lines[0] == (
            "wijk,koop_lopend,koop_afgerond,corporatie_lopend,corporatie_afgerond,"
            "particulier_lopend,particulier_afgerond,totaal"
        )
        assert lines[1] == "Centrum,5,3,9,15,0,5,37"
        assert lines[-1] == "Totaal,31,56,71,107,11,8,284"
        assert text.endswith("\n") and "\r" not in text

    def test_names_with_commas_are_quoted(self):
        text = exports.csv_text(make_table({"Dorp, oost": (1, 0, 0, 0, 0, 0)}))
        assert list(csv.reader(io.StringIO(text)))[1][0] == "Dorp, oost"

    def test_file_names(self):
        assert exports.filename(make_table(PUBLISHED_2023), "csv") == "tabel-5.1-2023.csv"
        mid = make_table(PUBLISHED_2023, as_of=D(2023, 6, 30))
        assert exports.filename(mid, "xlsx") == "tabel-5.1-2023-peildatum-2023-06-30.xlsx"


class TestXlsx:
    def test_laid_out_like_the_jaarverslag(self):
        table = make_table(PUBLISHED_2023)
        carried = make_table(PUBLISHED_2023, kind=tabel51.CARRIED_OVER)
        book = load_workbook(io.BytesIO(exports.xlsx_bytes([table, carried])))
        assert book.sheetnames == ["Tabel 5.1 2023", "Doorlopend 2023"]
        sheet = book["Tabel 5.1 2023"]
        assert sheet["A1"].value == "Tabel 5.1 Woonoverlast aantallen 2023"
        assert "31 december 2023" in sheet["A2"].value
        merged = {str(r) for r in sheet.merged_cells.ranges}
        assert {"A4:A5", "B4:C4", "D4:E4", "F4:G4", "H4:H5"} <= merged
        assert [sheet.cell(4, c).value for c in (1, 2, 4, 6, 8)] == [
            "Woonoverlast aantallen 2023",
            "Koop",
            "Corporatie",
            "Particulier",
            "Totaal casuïstiek",
        ]
        assert [sheet.cell(5, c).value for c in (2, 3)] == [
            "Lopende casuïstiek",
            "Afgeronde casuïstiek",
        ]
        assert [sheet.cell(6, c).value for c in range(1, 9)] == ["Centrum", 5, 3, 9, 15, 0, 5, 37]
        total = [sheet.cell(14, c) for c in range(1, 9)]
        assert [c.value for c in total] == ["Totaal", 31, 56, 71, 107, 11, 8, 284]
        assert all(c.font.b for c in total)
        assert sheet.cell(16, 1).value == JAARVERSLAG_2023
        assert book["Doorlopend 2023"]["A1"].value.startswith("Tabel 5.1 Woonoverlast doorlopende")


@pytest.mark.django_db
class TestLinks:
    def query(self, url):
        parts = urlsplit(url)
        assert parts.path == "/casussen/"
        return {name: values[0] for name, values in parse_qs(parts.query).items()}

    def test_a_cell_as_in_the_contract(self):
        table = make_table(PUBLISHED_2023)
        url = links.table_cell_url(table, district_id=1, housing_type=CORPORATIE, status=OPEN)
        assert url == (
            "/casussen/?wijk=1&woningtype=corporatie&status=open&peildatum=2023-12-31"
            "&geregistreerd_van=2023-01-01&geregistreerd_tot=2023-12-31&ook_archief=1"
        )

    def test_totals_leave_out_what_they_add_up(self):
        table = make_table(PUBLISHED_2023, as_of=D(2023, 6, 30))
        assert self.query(links.table_cell_url(table)) == {
            "geregistreerd_van": "2023-01-01",
            "geregistreerd_tot": "2023-06-30",
            "ook_archief": "1",
        }
        assert self.query(links.table_cell_url(table, status=CLOSED)) == {
            "status": "closed",
            "peildatum": "2023-06-30",
            "geregistreerd_van": "2023-01-01",
            "geregistreerd_tot": "2023-06-30",
            "ook_archief": "1",
        }

    def test_carried_over_only_links_what_the_list_can_show_exactly(self):
        table = make_table(PUBLISHED_2023, kind=tabel51.CARRIED_OVER)
        assert links.table_cell_url(table, district_id=1, housing_type=KOOP, status=OPEN) is None
        assert self.query(links.table_cell_url(table, district_id=1)) == {
            "wijk": "1",
            "status": "open",
            "peildatum": "2022-12-31",
            "geregistreerd_tot": "2022-12-31",
            "ook_archief": "1",
        }

    def test_no_links_for_the_rapportage_role(self):
        rows = links.display_rows(make_table(PUBLISHED_2023), with_links=False)
        assert all(n.url is None for row in rows for n in (*row.cells, row.total))
        rows = links.display_rows(make_table(PUBLISHED_2023), with_links=True)
        assert all(n.url for row in rows for n in (*row.cells, row.total))


def test_the_bar_chart_scales_to_the_largest_row():
    chart = charts.stacked_bars(
        chart_id="c", title="t", series=["Koop", "Corporatie"], rows=[("A", (1, 3)), ("B", (2, 0))]
    )
    first, second = chart.bars
    assert first.total == 4 and second.total == 2
    assert sum(s.width for s in first.segments) == charts.BAR_AREA
    assert sum(s.width for s in second.segments) == charts.BAR_AREA / 2
    assert len(second.segments) == 1  # no empty segment
    assert chart.description == "A: 4 (Koop 1, Corporatie 3); B: 2 (Koop 2, Corporatie 0)."
