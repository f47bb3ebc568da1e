from django.shortcuts import render

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_view_reports


@role_required(can_view_reports)
def index(request):
    return render(request, "reports/index.html")
