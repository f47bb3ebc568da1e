"""Registering a case, correcting its facts and giving it to another casemanager."""

from django.urls import reverse
from django.utils.functional import cached_property

from woonoverlast.accounts.access import (
    CaseWorkerRequiredMixin,
    CaseWriteRequiredMixin,
    TeamLeaderRequiredMixin,
)
from woonoverlast.accounts.roles import can_lead_team
from woonoverlast.common.views import ServiceFormView
from woonoverlast.submissions.views import OnceViewMixin

from .. import services
from ..forms import CaseCreateForm, CaseEditForm, ReassignForm
from ..models import Case
from .common import CaseFromUrlMixin


class CaseCreateView(OnceViewMixin, CaseWorkerRequiredMixin, ServiceFormView):
    form_class = CaseCreateForm
    template_name = "cases/create.html"
    submit_label = "Casus registreren"
    service_error_rename = {
        "received_on": "first_melding_on",
        "source": "first_melding_source",
        "text": "first_melding_text",
    }

    @cached_property
    def can_assign(self) -> bool:
        return can_lead_team(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "can_assign": self.can_assign}

    def duplicates(self, form) -> list[Case]:
        """Open cases at the address in the form (postcode + house number + addition)."""
        data = getattr(form, "cleaned_data", {})
        if not (data.get("postcode") and data.get("house_number")):
            return []
        return list(
            Case.objects.open()
            .at_address(
                postcode=data["postcode"],
                house_number=data["house_number"],
                house_number_addition=data.get("house_number_addition", ""),
            )
            .select_related("district", "casemanager")
            .order_by("registered_on")
        )

    def form_valid(self, form):
        # Asked again here: a first submit of this page may have been saved while this one
        # was on its way, and the warning must not point at the case it just created.
        earlier = self.earlier_submission()
        if earlier is not None:
            return self.already_submitted(earlier)
        duplicates = self.duplicates(form)
        if duplicates and not form.cleaned_data.get("confirm_duplicate"):
            # A warning, not an error: show the cases and ask to confirm.
            return self.render_to_response(
                self.get_context_data(form=form, duplicates=duplicates, warn_duplicates=True)
            )
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form, duplicates=self.duplicates(form))
        )

    def case_facts(self, form) -> dict:
        """case_register's arguments from the form's facts (the first melding aside)."""
        data = form.cleaned_data
        return {
            "district": data["district"],
            "housing_type": data["housing_type"],
            "corporation": data["corporation"],
            "street": data["street"],
            "house_number": data["house_number"],
            "house_number_addition": data["house_number_addition"],
            "postcode": data["postcode"],
            "categories": data["categories"],
            "description": data["description"],
            "complexity": data["complexity"],
            "registered_on": data["registered_on"],
            # One rule with the API (services.registration_casemanager); the form shows the
            # choice to team leaders only.
            "casemanager": services.registration_casemanager(
                chosen=data.get("casemanager"), by=self.request.user
            ),
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.case_register(
            by=self.request.user,
            **self.case_facts(form),
            first_melding_text=data["first_melding_text"],
            first_melding_source=data["first_melding_source"],
            first_melding_on=data["first_melding_on"],
        )

    def get_success_message(self):
        return f"Casus {self.result.reference} is geregistreerd."

    def get_success_url(self):
        return self.result.get_absolute_url()


class CaseEditView(
    CaseWorkerRequiredMixin, CaseWriteRequiredMixin, CaseFromUrlMixin, ServiceFormView
):
    form_class = CaseEditForm
    template_name = "cases/edit.html"
    submit_label = "Wijzigingen opslaan"
    title = "Gegevens wijzigen"
    intro = "Verbeter de gegevens van de casus. Afsluiten, heropenen en toewijzen gaan apart."

    def get_initial(self):
        return CaseEditForm.initial_for(self.case)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        categories = data.pop("categories")
        partners = data.pop("partners")
        return services.case_update(
            self.case,
            by=self.request.user,
            expected_version=version,
            categories=categories,
            partners=partners,
            **data,
        )

    def get_success_message(self):
        return f"De gegevens van casus {self.case.reference} zijn opgeslagen."

    def get_success_url(self):
        return self.case.get_absolute_url()


class CaseReassignView(OnceViewMixin, TeamLeaderRequiredMixin, CaseFromUrlMixin, ServiceFormView):
    form_class = ReassignForm
    title = "Casus toewijzen"
    intro = "Geef de casus aan een andere casemanager."
    submit_label = "Toewijzen"

    def get_initial(self):
        return {"casemanager": self.case.casemanager_id}

    def perform(self, form):
        return services.case_reassign(
            self.case,
            casemanager=form.cleaned_data["casemanager"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )

    def get_success_message(self):
        return f"Casus {self.case.reference} is toegewezen aan {self.case.casemanager}."

    def get_success_url(self):
        return reverse("cases:detail", kwargs={"reference": self.case.reference})
