"""The Archief section of the case file, without the case view knowing the archiving app."""

from django import template

from woonoverlast.accounts.roles import (
    can_choose_case_result,
    can_export_mdto,
    can_see_archive_data,
)

from ..models import CaseArchive

register = template.Library()


@register.inclusion_tag("archiving/case_section.html", takes_context=True)
def case_archive(context, case):
    user = context["request"].user
    if not can_see_archive_data(user, case):
        return {"show": False}
    archive = CaseArchive.objects.filter(case=case).select_related("result_type").first()
    return {
        "show": True,
        "case": case,
        "archive": archive,
        "may_export": can_export_mdto(user),
        "may_choose": archive is not None
        and archive.destroyed_at is None
        and can_choose_case_result(user, case),
    }
