"""PDFs by LibreOffice (`soffice --headless --convert-to pdf`), one process per conversion.

Each call gets a profile folder of its own (-env:UserInstallation), so that conversions in
parallel (two Celery workers, two tests) do not block on one shared LibreOffice profile.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings

UNAVAILABLE_MESSAGE = (
    "Er is geen PDF gemaakt: LibreOffice is niet geïnstalleerd op de server. Het Word-bestand "
    "is wel gemaakt."
)


class ConversionError(Exception):
    pass


def libreoffice_binary() -> str | None:
    name = settings.LIBREOFFICE_BINARY
    return shutil.which(name) if name else None


def libreoffice_available() -> bool:
    return libreoffice_binary() is not None


def to_pdf(data: bytes, *, suffix: str, pdfa: bool = False) -> bytes:
    """The PDF of a DOCX (suffix "docx") or an HTML page (suffix "html"); with `pdfa`, a
    PDF/A-2b (the archiving app's MDTO package: the e-depot's preferred format)."""
    binary = libreoffice_binary()
    if binary is None:
        raise ConversionError(UNAVAILABLE_MESSAGE)
    with tempfile.TemporaryDirectory(prefix="woonoverlast-pdf-") as folder:
        work = Path(folder)
        source = work / f"document.{suffix}"
        source.write_bytes(data)
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
        ]
        if suffix == "html":
            # Open HTML in Writer itself (not Writer/Web), which prints every heading.
            command += ["--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export"]
        elif pdfa:
            command += [
                "--convert-to",
                'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}',
            ]
        else:
            command += ["--convert-to", "pdf"]
        command += ["--outdir", str(work / "out"), str(source)]
        if _run(command, timeout=settings.LIBREOFFICE_TIMEOUT_SECONDS) != 0:
            raise ConversionError("LibreOffice kon van dit bestand geen PDF maken.")
        result = work / "out" / "document.pdf"
        if not result.is_file():
            raise ConversionError("LibreOffice kon van dit bestand geen PDF maken.")
        return result.read_bytes()


def _run(command: list[str], *, timeout: float) -> int:
    """Run LibreOffice in a process group of its own and end the whole group; the exit code.

    `soffice` is a launcher: it starts `soffice.bin`, which does the work. Killing only the
    launcher on a timeout (what subprocess.run does) leaves `soffice.bin` converting at full
    CPU. The launcher is waited for without being reaped (WNOWAIT), so its id, which is the
    group's, cannot be reused by another process before the group is killed. A timeout
    raises ConversionError.
    """
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            if time.monotonic() >= deadline:
                timed_out = True
                break
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError):  # nothing of the group is left
            os.killpg(process.pid, signal.SIGKILL)
        code = process.wait()
    if timed_out:
        raise ConversionError("LibreOffice deed te lang over deze PDF en is gestopt.")
    return code
