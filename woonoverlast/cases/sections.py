"""The parts of the case pages that come from the apps built on cases.

`cases` imports none of those apps. Each one that puts a section on one of these pages
registers, in its AppConfig.ready, a function that returns the template context of its
section; the page's view merges them (in the order of INSTALLED_APPS) and its template
includes the sections' templates.

- CASE_FILE (cases:detail): called with (user, case, *, show_personal_data, today);
- WORKLIST (*Mijn casussen*): called with (user);
- TEAM_OVERVIEW (the team leader's start page): called with no arguments.
"""

from collections.abc import Callable

CASE_FILE = "case_file"
WORKLIST = "worklist"
TEAM_OVERVIEW = "team_overview"

_sections: dict[str, dict[str, Callable[..., dict]]] = {
    CASE_FILE: {},
    WORKLIST: {},
    TEAM_OVERVIEW: {},
}


def register_section(page: str, name: str, context: Callable[..., dict]) -> None:
    """Add (or replace: ready() may run again) the section `name` of `page`."""
    _sections[page][name] = context


def sections_context(page: str, *args, **kwargs) -> dict:
    """The context of every section registered for `page`, merged."""
    merged = {}
    for context in _sections[page].values():
        merged.update(context(*args, **kwargs))
    return merged
