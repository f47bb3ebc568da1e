"""The version of the open cases' assignment: which cases are open, and their wijk, housing
type and casemanager. The team leader's start page reads its counts of the open cases per
wijk and housing type and per casemanager from a cache keyed by it (cases.team_counts).

Every service that changes one of those calls `open_cases_changed` in its own transaction:
registration (`case_register`, hence the screen, the API, the intake and the demo), the
import (`cases_register_many`), closing and reopening, a withdrawn status change, a
correction of an open case's wijk or housing type (`case_update`) and every reassignment
(`case_reassign` and the services built on it). Anything else that changes those
columns (a data migration, a script, the benchmark generator) must call it too.

Writes that leave them alone keep the version, so the counts stay stored while the team works:
actions, huisbezoeken, parties, meldingen, access grants, a corrected status date, a
correction of a closed case or of other facts, the anonymisation (which blanks personal data
only). tests/test_team_counts.py compares the stored counts with a fresh count after every
write service, those included.
"""

from ..models import OpenCasesVersion
from .figures import version_read, version_renew


def open_cases_changed() -> None:
    """Give the open cases' assignment a new version, in the caller's transaction."""
    version_renew(OpenCasesVersion)


def open_cases_version(*, using: str | None = None) -> str:
    """The current version (one primary-key read, on the database `using`)."""
    return version_read(OpenCasesVersion, using=using)
