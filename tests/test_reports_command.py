"""`manage.py tabel51`: its arguments and its Dutch errors."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


ROOT = Path(__file__).resolve().parent.parent
NEXT_YEAR = datetime.date.today().year + 1


def run(*args) -> str:
    out = io.StringIO()
    call_command("tabel51", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Geef het jaar op met --jaar"),
        (["--jaar", "23"], "'23' is geen geldig jaar"),
        (["--jaar", "tweeduizend"], "'tweeduizend' is geen geldig jaar"),
        (["--jaar", "1999"], "Kies een jaar vanaf 2000."),
        (["--jaar", str(NEXT_YEAR)], f"Het jaar {NEXT_YEAR} is nog niet begonnen."),
        (["--jaar", "2023", "--peildatum", "31 dec"], "'31 dec' is geen geldige peildatum"),
        (["--jaar", "2023", "--peildatum", "2023-02-30"], "geen geldige peildatum"),
        (["--jaar", "2023", "--peildatum", "2022-12-31"], "niet voor 1 januari 2023"),
        (["--jaar", "2023", "--format", "pdf"], "Onbekend formaat 'pdf'. Kies csv, xlsx of tekst."),
        (["--jaar", "2023", "--kleur"], "onbekende argumenten: --kleur"),
        (["--jaar"], "bij --jaar hoort een waarde"),
    ],
)
def test_bad_arguments_get_a_dutch_error(args, message):
    with pytest.raises(CommandError) as excinfo:
        run(*args)
    assert message in str(excinfo.value)


def test_a_year_without_data_gives_zeros():
    lines = run("--jaar", "2015").splitlines()
    assert len(lines) == 10
    assert lines[-1] == "Totaal,0,0,0,0,0,0,0"


def test_doorlopend_adds_the_second_table_after_an_empty_line():
    CaseFactory(registered_on=datetime.date(2022, 6, 1))
    blocks = run("--jaar", "2023", "--doorlopend").split("\n\n")
    assert len(blocks) == 2
    assert blocks[0].splitlines()[-1] == "Totaal,0,0,0,0,0,0,0"
    assert blocks[1].splitlines()[0].startswith("wijk,")
    assert blocks[1].splitlines()[-1] == "Totaal,1,0,0,0,0,0,1"


def test_xlsx_is_refused_to_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    with pytest.raises(CommandError) as excinfo:
        call_command("tabel51", "--jaar", "2023", "--format", "xlsx", stdout=Terminal())
    assert "Geef --output PAD op" in str(excinfo.value)


def test_an_unwritable_output_is_a_dutch_error(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        run("--jaar", "2023", "--output", str(tmp_path / "bestaat-niet" / "tabel.csv"))
    assert "Kan niet schrijven naar" in str(excinfo.value)


def test_the_help_is_dutch():
    from reports.management.commands.tabel51 import Command

    help_text = Command().create_parser("manage.py", "tabel51").format_help()
    assert "Het jaar waarin de casussen geregistreerd zijn" in help_text
    assert "csv|xlsx|tekst" in help_text


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--jaar", "1999"], 1, "Kies een jaar vanaf 2000."),
        (["--jaar", "2023", "--kleur", "rood"], 2, "fout: onbekende argumenten: --kleur rood"),
    ],
)
def test_from_the_command_line_a_non_zero_exit(args, status, message, tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'leeg.sqlite3'}"}
    env.pop("CELERY_BROKER_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "tabel51", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == status
    assert message in result.stderr
    assert result.stdout == ""
