"""The audit log for team leaders: per case, per user, or filtered."""

from django.shortcuts import render

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_lead_team
from woonoverlast.common.pagination import LongListPaginator

from .display import describe
from .filters import AuditEventFilter
from .models import AuditEvent

PAGE_SIZE = 50


@role_required(can_lead_team)
def audit_log(request):
    events = AuditEvent.objects.select_related("actor", "case")
    event_filter = AuditEventFilter(request.GET, queryset=events)
    page = LongListPaginator(event_filter.qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = describe(page.object_list)  # labels and names, resolved in bulk
    return render(request, "audit/log.html", {"filter": event_filter, "page": page})
