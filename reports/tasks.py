"""Background work of the reports app. Tasks take ids and call a service."""

from celery import shared_task

from . import services


@shared_task(name="reports.run_export")
def run_export(job_id: int) -> str:
    """Build the file of an ExportJob; safe to run twice (a finished job is left alone)."""
    return services.export_run(job_id=job_id).state
