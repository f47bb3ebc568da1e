"""The casusoverleg per year (woonoverlast.overleg.reports): counts only, for every role."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_view_reports
from woonoverlast.overleg.reports import HEADER, overleg_per_year

from .measures_views import LeadTimeForm, _table_download
from .views import default_year


class OverlegYearForm(LeadTimeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].help_text = "Het jaar waarin de overleggen zijn gehouden."


def _report(request):
    form = OverlegYearForm(request.GET or {"jaar": default_year()})
    return form, overleg_per_year(form.cleaned_data["jaar"]) if form.is_valid() else None


@require_GET
@role_required(can_view_reports)
def overleg_page(request):
    form, report = _report(request)
    return render(
        request,
        "reports/overleg.html",
        {"form": form, "report": report, "header": HEADER, "query": request.GET.urlencode()},
    )


@require_GET
@role_required(can_view_reports)
def overleg_export(request, file_format: str):
    form, report = _report(request)
    if report is None:
        return render(
            request,
            "reports/overleg.html",
            {"form": form, "report": None, "header": HEADER},
            status=400,
        )
    return _table_download(
        report.title, HEADER, report.table(), f"casusoverleg-{report.year}", file_format
    )
