"""Where the dossier's bytes live: the `dossier` entry of settings.STORAGES.

By default a private folder under MEDIA_ROOT that nothing serves; in production an
S3-compatible object store (django-storages) when DOSSIER_S3_BUCKET is set. Files are only
ever handed out by the download view, after the access rules.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import LazyObject, cached_property, empty

DOSSIER_STORAGE_ALIAS = "dossier"


class _DossierStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[DOSSIER_STORAGE_ALIAS]


dossier_storage = _DossierStorage()


def get_dossier_storage():
    """For FileField(storage=...): a callable, so migrations name it instead of its state."""
    return dossier_storage


def reset_dossier_storage(*, setting, **kwargs):
    """Tests that switch STORAGES (to the S3 server) get the new storage."""
    if setting in ("STORAGES", "MEDIA_ROOT"):
        storages._storages = {}
        storages._backends = None
        dossier_storage._wrapped = empty


class PrivateFileSystemStorage(FileSystemStorage):
    """The default dossier storage: MEDIA_ROOT/dossier (or DOSSIER_ROOT), never served.

    It has no URL: `url()` refuses, so no template can link to the bytes past the checks.
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(
            self._location, os.path.join(str(settings.MEDIA_ROOT), "dossier")
        )

    def url(self, name):
        raise ValueError("Dossier files are only served by the download view.")
