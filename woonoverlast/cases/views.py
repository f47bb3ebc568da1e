"""Placeholder views: the casework UI replaces these (issue 3)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from woonoverlast.accounts.access import role_required
from woonoverlast.accounts.roles import can_work_cases

from .models import Case


@role_required(can_work_cases)
def case_list(request):
    return HttpResponse("Casussen")


@role_required(can_work_cases)
def my_cases(request):
    return HttpResponse("Mijn casussen")


@role_required(can_work_cases)
def case_detail(request, reference):
    case = get_object_or_404(Case, reference=reference)
    return HttpResponse(case.reference)
