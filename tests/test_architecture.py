"""The layers: `cases` imports none of the apps built on it, and no service imports a view.

The contracts are import-linter's, in pyproject.toml ([tool.importlinter]); `make lint` runs
them too. The apps hook into the case domain through its registries and signals instead; the
tests below check that each registry holds what the installed apps put in it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(config: Path, *, cwd: Path) -> subprocess.CompletedProcess:
    """import-linter's command, in a process of its own: in this one its dictConfig would
    disable every logger it does not name (Django's, django-structlog's) for the tests that
    run after it on the same worker, which then saw no log line at all."""
    return subprocess.run(
        [Path(sys.executable).parent / "lint-imports", "--config", config, "--no-cache"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_import_contracts_hold():
    result = lint_imports(ROOT / "pyproject.toml", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_contract_is_reported(tmp_path):
    """The contract is no formality: a module of cases importing an app above it breaks it."""
    package = tmp_path / "layered"
    (package / "cases").mkdir(parents=True)
    (package / "measures").mkdir()
    (package / "__init__.py").write_text("")
    (package / "cases" / "__init__.py").write_text("")
    (package / "measures" / "__init__.py").write_text("")
    (package / "cases" / "views.py").write_text("from layered.measures import rules  # noqa\n")
    (package / "measures" / "rules.py").write_text("")
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["layered"]\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "cases imports no app built on it"\n'
        'type = "forbidden"\n'
        'source_modules = ["layered.cases"]\n'
        'forbidden_modules = ["layered.measures"]\n'
    )
    result = lint_imports(config, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cases imports no app built on it" in result.stdout
    assert "layered.cases.views -> layered.measures.rules" in result.stdout


def test_the_case_file_has_the_sections_of_the_apps_at_their_places():
    from woonoverlast.cases.sections import CASE_FILE, _sections

    placed = {
        name: (section.template, section.place) for name, section in _sections[CASE_FILE].items()
    }
    assert placed == {
        "termijnen": ("followups/case_file_section.html", "after_summary"),
        "maatregelen": ("measures/includes/case_measures.html", "after_parties"),
        "dossier": ("documents/case_file_section.html", "after_meldingen"),
        "archief": ("archiving/case_file_section.html", "after_parties"),
        "melders": ("intake/includes/case_reporters.html", "before_timeline"),
    }


def test_a_section_at_an_unknown_place_is_refused():
    from woonoverlast.cases.sections import CASE_FILE, register_section

    with pytest.raises(ValueError, match="Unknown place"):
        register_section(CASE_FILE, "nieuw", template="x.html", place="somewhere")


def test_the_apps_fill_the_registries_of_the_case_domain():
    from woonoverlast.cases import demo, querysets
    from woonoverlast.cases.services.retention import ANONYMISED
    from woonoverlast.measures.models import MeasureStep

    assert list(demo._demo_parts) == ["intake", "maatregelen", "overleg"]  # INSTALLED_APPS
    assert list(demo._demo_extras) == ["voorbeeldbriefsjablonen"]
    assert list(querysets._activity_sources) == ["maatregelstap"]
    assert list(querysets._file_prefetches) == ["intake_meldingen"]
    assert ANONYMISED[MeasureStep][0] == "measure__case"


def test_the_case_list_has_the_archive_filters_before_the_sort_order():
    from woonoverlast.cases.filters import CaseFilter

    names = list(CaseFilter.base_filters)
    assert names[-4:] == ["archiefnominatie", "archiefactiedatum_tot", "resultaat", "sorteer"]
    assert CaseFilter.ADVANCED[-3:] == ("archiefnominatie", "archiefactiedatum_tot", "resultaat")
