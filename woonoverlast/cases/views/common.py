"""What the case views share: the case from the URL and running a service from a form."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView

from woonoverlast.audit.recorder import record_view

from ..models import Case


def add_service_errors(form, error: ValidationError, rename: dict[str, str] | None = None):
    """Put a service's ValidationError on the form: next to the field with the argument's
    name (or its `rename`), and as a non-field error when the form has no such field or only
    a hidden one (where nobody would see it)."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        name = rename.get(key, key)
        if (
            name == NON_FIELD_ERRORS
            or name not in form.fields
            or form.fields[name].widget.is_hidden
        ):
            form.add_error(None, errors)
        else:
            form.add_error(name, errors)


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


class ServiceFormView(FormView):
    """A form whose valid input is handed to one service.

    Subclasses put their access mixin first (CaseWorkerRequiredMixin, ...), implement
    `perform(form)` (calling the service) and set the success message. A ValidationError from
    the service goes back onto the form, with the input kept.
    """

    template_name = "cases/form.html"
    success_message = ""
    submit_label = "Opslaan"
    title = ""
    intro = ""
    service_error_rename: dict[str, str] = {}

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error, self.service_error_rename)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())

    def get_success_message(self) -> str:
        return self.success_message

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            submit_label=self.submit_label, title=self.title, intro=self.intro, **kwargs
        )
