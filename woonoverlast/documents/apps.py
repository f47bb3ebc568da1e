from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "woonoverlast.documents"
    verbose_name = "Dossier"

    def ready(self):
        from django.core.signals import setting_changed

        from woonoverlast.cases.demo import register_demo_extra
        from woonoverlast.cases.sections import CASE_FILE, register_section

        from . import signals  # noqa: F401  (the files of anonymised cases)
        from .models import Document
        from .storage import reset_dossier_storage

        setting_changed.connect(reset_dossier_storage, dispatch_uid="documents-storage-reset")
        register_section(
            CASE_FILE,
            "dossier",
            lambda user, case, *, show_personal_data, **_: {
                "documents": Document.objects.for_case_file(case, user, can_see=show_personal_data)
            },
            template="documents/case_file_section.html",
            place="after_meldingen",
        )

        # `manage.py demo_laden` also loads the example letter templates, so that a new user's first
        # letter works; the ones already there (or a team's own of that name) are left alone.
        def example_templates():
            from .examples import examples_load

            loaded = sum(1 for _name, new in examples_load() if new)
            return f"{loaded} voorbeeldbriefsjablonen geladen." if loaded else None

        register_demo_extra("voorbeeldbriefsjablonen", example_templates)
