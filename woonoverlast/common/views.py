"""Generic view helpers: a form whose valid input goes to one service, and a service's
ValidationError put back on the form."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from .unsaved_post import restore_post


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

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A form posted after the session ended comes back filled after the log-in.
        restored = restore_post(self.request)
        if restored:
            kwargs["initial"] = {**kwargs.get("initial", {}), **restored}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            submit_label=self.submit_label, title=self.title, intro=self.intro, **kwargs
        )
