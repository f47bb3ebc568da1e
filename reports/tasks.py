"""Background work of the reports app. Tasks take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(name="reports.run_export")
def run_export(job_id: int) -> str:
    """Build the file of an ExportJob; safe to run twice (a finished job is left alone)."""
    return services.export_run(job_id=job_id).state


@shared_task(name="reports.expire_exports")
def expire_exports() -> int:
    """Periodic: exports that stopped moving (a killed worker or process) are marked failed."""
    return services.exports_expire()
