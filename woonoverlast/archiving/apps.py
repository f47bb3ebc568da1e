from django.apps import AppConfig


class ArchivingConfig(AppConfig):
    name = "woonoverlast.archiving"
    label = "archiving"
    verbose_name = "Archivering"

    def ready(self):
        from woonoverlast.cases.filters import register_case_filters
        from woonoverlast.cases.sections import CASE_FILE, register_section

        from . import signals  # noqa: F401  (connects the receivers)
        from .filters import case_filters

        # The case list filters on archiefnominatie, archiefactiedatum and resultaat.
        register_case_filters(case_filters())
        # The case's archive data on the case file (its own inclusion tag reads them).
        register_section(
            CASE_FILE, "archief", template="archiving/case_file_section.html", place="after_parties"
        )
