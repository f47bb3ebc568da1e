"""The dossier's reactions to the case domain."""

from django.dispatch import receiver

from woonoverlast.cases.signals import cases_anonymised


@receiver(cases_anonymised, dispatch_uid="documents_remove_anonymised_files")
def remove_files_of_anonymised_cases(sender, *, case_ids, by, **kwargs):
    """The files of the dossiers of cases being anonymised go from the storage (after the
    commit); the rows keep type, date and size."""
    from .services import documents_remove_files

    documents_remove_files(case_ids=case_ids, by=by)
