"""The parts of the case pages that come from the apps built on cases.

`cases` imports none of those apps. Each one that puts a section on one of these pages
registers it in its AppConfig.ready: a function that returns the template context of its
section, and for the case file the template that shows it and its place on the page. The
page's view merges the contexts (in the order of INSTALLED_APPS); the case file's template
includes the sections' templates at their places (`section_templates`).

- CASE_FILE (cases:detail): context(user, case, *, show_personal_data, today); places
  "after_summary", "after_parties", "after_meldingen", "before_timeline";
- WORKLIST (*Mijn casussen*): context(user);
- TEAM_OVERVIEW (the team leader's start page): context().
"""

from collections.abc import Callable
from dataclasses import dataclass

CASE_FILE = "case_file"
WORKLIST = "worklist"
TEAM_OVERVIEW = "team_overview"

CASE_FILE_PLACES = ("after_summary", "after_parties", "after_meldingen", "before_timeline")


@dataclass(frozen=True)
class Section:
    context: Callable[..., dict] | None
    template: str = ""
    place: str = ""


_sections: dict[str, dict[str, Section]] = {CASE_FILE: {}, WORKLIST: {}, TEAM_OVERVIEW: {}}


def register_section(
    page: str,
    name: str,
    context: Callable[..., dict] | None = None,
    *,
    template: str = "",
    place: str = "",
) -> None:
    """Add (or replace: ready() may run again) the section `name` of `page`: its context
    function (None: it needs none) and, on the case file, its template and place."""
    if template and place not in CASE_FILE_PLACES:
        raise ValueError(f"Unknown place {place!r} on the case file: {CASE_FILE_PLACES}")
    _sections[page][name] = Section(context, template, place)


def sections_context(page: str, *args, **kwargs) -> dict:
    """The context of every section registered for `page`, merged, with
    `section_templates`: place -> the templates to include there, in order."""
    merged = {}
    templates = {place: [] for place in CASE_FILE_PLACES}
    for section in _sections[page].values():
        if section.context is not None:
            merged.update(section.context(*args, **kwargs))
        if section.template:
            templates[section.place].append(section.template)
    if page == CASE_FILE:
        merged["section_templates"] = templates
    return merged
