"""Required-field messages that name the field by its label, as "Vul 'Datum' in." (with
typographic quotes).

Django's own "Dit veld is verplicht." does not say which field it means in the error summary
at the top of a long form, while the app writes a sentence of its own for many fields ("Kies
de uitkomst."). Every other required field gets one made from its label here.
"""

from django import forms

GENERIC = forms.Field.default_error_messages["required"]


def required_message(field: forms.Field) -> str:
    """A sentence naming the field by its label, in quotes: grammatical whatever the label
    ("Vul 'Geregistreerd op' in.", "Maak een keuze bij 'Melding van'.", typographic quotes)."""
    label = str(field.label or "").strip()
    if not label:
        return GENERIC
    if label.endswith("?"):
        return f"Beantwoord de vraag ‘{label}’."
    if isinstance(field, forms.BooleanField):
        return f"Vink ‘{label}’ aan."
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField):
        noun = "een bestand" if isinstance(field, forms.FileField) else "een keuze"
        verb = "Kies" if isinstance(field, forms.FileField) else "Maak"
        return f"{verb} {noun} bij ‘{label}’."
    return f"Vul ‘{label}’ in."


def name_required_fields(form: forms.BaseForm) -> None:
    """Give each required field of `form` without a message of its own a specific one."""
    for field in form.fields.values():
        if str(field.error_messages.get("required")) == str(GENERIC):
            field.error_messages = {**field.error_messages, "required": required_message(field)}


class SpecificRequiredMixin:
    """Put before the form class in the bases; see name_required_fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_required_fields(self)
