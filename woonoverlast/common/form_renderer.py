"""The forms' renderer: Django's, with the select boxes written in Python.

Django renders a select box with a template per option (select.html includes
select_option.html, which includes attrs.html, for each choice): the case list's filter panel
spent about 9 ms per request on its twelve fields, most of it in the options of the wijk,
category, casemanager and result (docs/performance.md). This writes the same markup, byte for
byte, in Python (tests/test_form_renderer.py compares it with Django's templates); any other
widget, or a select whose options use another template, is left to the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# The boxes and buttons of a multiple choice: the template and their options' template.
MULTIPLE_INPUTS = {
    "django/forms/widgets/checkbox_select.html": "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio.html": "django/forms/widgets/radio_option.html",
}


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and _options_use(context["widget"], OPTION):
            return select_html(context["widget"])
        option_template = MULTIPLE_INPUTS.get(template_name)
        if option_template and _options_use(context["widget"], option_template):
            return multiple_input_html(context["widget"])
        return super().render(template_name, context, request=request)


def _options_use(widget, template_name) -> bool:
    return all(
        option["template_name"] == template_name
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def select_html(widget) -> str:
    """select.html for `widget` (the widget's context), as the template writes it."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"  # select_option.html's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    # The renderer strips what a template renders; nothing here to strip.
    return mark_safe("".join(parts))


def multiple_input_html(widget) -> str:
    """checkbox_select.html or radio.html (multiple_input.html) for `widget`, as the
    templates write them, each template's last newline included."""
    widget_id, widget_class = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_text(widget_id)}"' if widget_id else "",
        f' class="{_text(widget_class)}"' if widget_class else "",
        ">",
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{_text(group_name)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_input_option_html(option)}\n</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))


def _input_option_html(option) -> str:
    """input_option.html (with input.html) for one box or button."""
    value = option["value"]
    html = (
        f'<input type="{_text(option["type"])}" name="{_text(option["name"])}"'
        + (f' value="{_formatted(value)}"' if value is not None else "")
        + f"{_attrs(option['attrs'])}>\n"
    )
    if option["wrap_label"]:
        option_id = option["attrs"].get("id")
        label_for = f' for="{_text(option_id)}"' if option_id else ""
        html = f"<label{label_for}>{html} {_text(option['label'])}</label>"
    return html + "\n"


def _text(value) -> str:
    """`{{ value }}` (template.base.render_value_in_context): localized, escaped unless safe."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: str(), still safe if it was, then escaped."""
    text = str(value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs) -> str:
    """attrs.html: ` name="value"`, just ` name` for True, nothing for False."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
