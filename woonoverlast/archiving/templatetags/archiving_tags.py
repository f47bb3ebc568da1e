"""The Archief section of the case file, without the case view knowing the archiving app."""

from django import template

from woonoverlast.accounts.roles import (
    can_choose_case_result,
    can_export_mdto,
    can_see_archive_data,
)

from ..models import CaseArchive, MeasureResult

register = template.Library()


@register.inclusion_tag("archiving/case_section.html", takes_context=True)
def case_archive(context, case):
    user = context["request"].user
    if not can_see_archive_data(user, case):
        return {"show": False}
    archive = CaseArchive.objects.filter(case=case).select_related("result_type").first()
    measure_results = (
        MeasureResult.objects.filter(measure__case=case)
        .select_related("measure", "result_type")
        .prefetch_related("further_result_types")
        .order_by("measure__started_on", "measure_id")
    )
    may_write = (archive is None or archive.destroyed_at is None) and can_choose_case_result(
        user, case
    )
    return {
        "measure_results": measure_results,
        "may_choose_measure": may_write,
        "show": True,
        "case": case,
        "archive": archive,
        "may_export": can_export_mdto(user),
        "may_choose": archive is not None
        and archive.destroyed_at is None
        and can_choose_case_result(user, case),
    }
