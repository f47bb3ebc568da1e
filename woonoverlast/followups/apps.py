from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    """Termijnbewaking: follow-ups, reviews, stalled cases, nazorg, and the daily digest."""

    name = "woonoverlast.followups"
    label = "followups"
    verbose_name = "Termijnbewaking"

    def ready(self):
        from woonoverlast.cases.sections import (
            CASE_FILE,
            TEAM_OVERVIEW,
            WORKLIST,
            register_section,
        )

        from . import signals  # noqa: F401  (the bericht to a case's new casemanager)
        from .sections import case_file_section, team_overview_section, worklist_section

        register_section(
            CASE_FILE,
            "termijnen",
            case_file_section,
            template="followups/case_file_section.html",
            place="after_summary",
        )
        register_section(WORKLIST, "termijnen", worklist_section)
        register_section(TEAM_OVERVIEW, "termijnen", team_overview_section)
