"""What the case views share: the case from the URL."""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from woonoverlast.audit.recorder import record_view

from ..models import Case


class CaseFromUrlMixin:
    """`self.case`: the case named by the URL's `reference`, looked up after the access check
    (the mixins check in dispatch), so that a refused visitor learns nothing about it."""

    case_queryset = Case.objects.select_related("district", "casemanager")

    @cached_property
    def case(self) -> Case:
        return get_object_or_404(self.case_queryset, reference=self.kwargs["reference"])

    def get_context_data(self, **kwargs):
        # Every page of a case shows its address (and the edit form its description): a
        # read of personal data, in the audit log like the case file's.
        record_view(self.request, self.case, with_parties=False, page=self.audit_page_name())
        return super().get_context_data(case=self.case, **kwargs)

    def audit_page_name(self) -> str:
        return getattr(self, "title", "") or type(self).__name__
