"""LibreOffice ends with its timeout: the launcher `soffice` and the `soffice.bin` it starts
run in a process group of their own, and the whole group is killed."""

import tempfile
import time
from pathlib import Path

import pytest

from tests.test_documents_letters import docx_with, needs_libreoffice, needs_libreoffice_fixture
from woonoverlast.documents import conversion

__all__ = ["needs_libreoffice_fixture"]  # the fixture behind the mark, used from here


def processes_mentioning(text: str) -> list[str]:
    """The command lines of live processes that contain `text` (a zombie has none)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile
        if text in command:
            found.append(f"{entry.name}: {command[:120]}")
    return found


@needs_libreoffice
def test_a_conversion_past_its_timeout_leaves_no_process(settings, monkeypatch):
    folders = []
    make_folder = tempfile.mkdtemp

    def remember(*args, **kwargs):
        folders.append(make_folder(*args, **kwargs))
        return folders[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", remember)
    # Long enough for the launcher to start soffice.bin; the letter far too long to convert in
    # it (20,000 paragraphs take LibreOffice about ten seconds; a one-line letter, warm, could
    # finish within the timeout and make this test pass or fail by chance).
    settings.LIBREOFFICE_TIMEOUT_SECONDS = 1.5
    long_letter = docx_with(*["Een alinea van een heel lange brief aan de bewoner. " * 4] * 20_000)
    with pytest.raises(conversion.ConversionError, match="te lang"):
        conversion.to_pdf(long_letter, suffix="docx")
    (folder,) = folders
    time.sleep(0.5)
    assert processes_mentioning(folder) == []


@needs_libreoffice
def test_a_conversion_within_its_timeout_still_makes_the_pdf(settings):
    settings.LIBREOFFICE_TIMEOUT_SECONDS = 120
    assert conversion.to_pdf(docx_with("Brief"), suffix="docx").startswith(b"%PDF-")
