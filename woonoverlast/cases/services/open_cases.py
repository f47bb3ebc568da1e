"""The version of the open cases' casemanagers: which cases are open, and who has each. The
team leader's start page reads its count of the open cases per casemanager from a cache keyed
by it (cases.team_counts; its count per wijk and housing type is keyed by the version of the
case figures, services.figures, which every change of those renews).

Every service that changes one of those calls `open_cases_changed` in its own transaction:
registration (`case_register`, hence the screen, the API, the intake and the demo), the
import (`cases_register_many`), closing and reopening, a withdrawn status change, and every
reassignment (`case_reassign` and the services built on it; also of a case its instance says
is closed: it may have been read before a reopening). Anything else that changes those
columns (a data migration, a script, the benchmark generator) must call it too.

Writes that leave them alone keep the version, so the count stays stored while the team
works: actions, huisbezoeken, parties, meldingen, access grants, corrections of a case's
facts or of a status date, the anonymisation (which blanks personal data only).
tests/test_team_counts.py compares the stored counts with a fresh count after every write
service, those included.
"""

from ..models import OpenCasesVersion
from .figures import version_read, version_renew


def open_cases_changed() -> None:
    """Give the open cases' assignment a new version, in the caller's transaction."""
    version_renew(OpenCasesVersion)


def open_cases_version() -> str:
    """The current version (one primary-key read, on whichever database the caller reads)."""
    return version_read(OpenCasesVersion)
