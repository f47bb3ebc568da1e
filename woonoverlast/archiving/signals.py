"""The archiving app follows the case's status and the maatregelen's end without the cases
and measures services knowing it: a closed case gets its resultaat and dates, a reopened one
loses them, an ended maatregel gets its resultaat."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from woonoverlast.cases.choices import Status
from woonoverlast.cases.models import Case
from woonoverlast.cases.signals import case_status_changed, cases_imported
from woonoverlast.measures.models import Measure


@receiver(case_status_changed, dispatch_uid="archiving_case_status_changed")
def settle_case(sender, case, by=None, **kwargs):
    from .services import case_archive_settle

    case_archive_settle(case, by=by)


@receiver(post_save, sender=Measure, dispatch_uid="archiving_measure_saved")
def settle_measure(sender, instance, created, update_fields=None, **kwargs):
    from . import running
    from .services import case_archive_settle, measure_result_settle

    if not created and not running.measure_is_running(instance):
        measure_result_settle(instance)  # settles a closed case's archive data too
        return
    # A maatregel started on a closed case (for the time it was open), or running again after
    # its end (a bezwaar, a collection): the case's brondatum and archiefactiedatum wait for
    # it, so a closed case's dates are emptied now, not at its next settle.
    case = Case.objects.only("pk", "status").get(pk=instance.case_id)
    if case.status == Status.CLOSED:
        case_archive_settle(case)


@receiver(cases_imported, dispatch_uid="archiving_cases_imported")
def settle_imported(sender, closed, by=None, **kwargs):
    from .services import imported_cases_archive

    return imported_cases_archive(closed, by=by)
