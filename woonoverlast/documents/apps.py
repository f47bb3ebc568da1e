from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "woonoverlast.documents"
    verbose_name = "Dossier"

    def ready(self):
        from django.core.signals import setting_changed

        from .storage import reset_dossier_storage

        setting_changed.connect(reset_dossier_storage, dispatch_uid="documents-storage-reset")
