"""Required fields say which field they mean (issue 27, item 20): no bare "Dit veld is
verplicht." on any form of the app."""

import pytest
from django.urls import reverse

from reports import forms as report_forms
from tests.factories import casemanager
from woonoverlast.accounts import forms as account_forms
from woonoverlast.cases import forms as case_forms
from woonoverlast.intake import forms as intake_forms
from woonoverlast.measures.choices import MeasureKind, Step
from woonoverlast.measures.forms import MeasureStepForm
from woonoverlast.submissions.required import GENERIC, required_message

pytestmark = pytest.mark.django_db

FORMS = [
    case_forms.CaseCreateForm,
    case_forms.ActionForm,
    case_forms.HomeVisitForm,
    case_forms.MeldingForm,
    case_forms.PartyForm,
    case_forms.CloseForm,
    case_forms.ReopenForm,
    case_forms.ReassignForm,
    case_forms.BulkReassignForm,
    case_forms.AccessGrantForm,
    case_forms.WithdrawForm,
    case_forms.StatusDateCorrectForm,
    intake_forms.PublicMeldingForm,
    intake_forms.AddToCaseForm,
    intake_forms.CloseForm,
    intake_forms.CaseFromMeldingForm,
    report_forms.PeriodForm,
    report_forms.ExportForm,
    account_forms.LoginForm,
    account_forms.ConfirmDeviceForm,
    account_forms.DisableTwoFactorForm,
]


def generic_fields(form) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if field.required
        and not field.widget.is_hidden
        and str(field.error_messages["required"]) == str(GENERIC)
    ]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form_class: form_class.__qualname__)
def test_every_required_field_has_a_specific_message(form_class):
    assert generic_fields(form_class()) == []


@pytest.mark.parametrize("step", Step.values)
def test_every_step_form_too(step):
    form = MeasureStepForm(step=step, needs_reason=True, kind=MeasureKind.OTHER)
    assert generic_fields(form) == []


def test_the_messages_name_the_field():
    from django import forms

    assert required_message(forms.CharField(label="Bevindingen")) == "Vul ‘Bevindingen’ in."
    assert (
        required_message(forms.ChoiceField(label="Melding van"))
        == "Maak een keuze bij ‘Melding van’."
    )
    assert required_message(forms.BooleanField(label="Akkoord")) == "Vink ‘Akkoord’ aan."


def test_an_empty_new_case_says_what_is_missing(client):
    client.force_login(casemanager())
    html = client.post(reverse("cases:create"), {}).content.decode()
    assert "Kies een wijk." in html and "Kies een woningtype" in html
    assert "Dit veld is verplicht." not in html
