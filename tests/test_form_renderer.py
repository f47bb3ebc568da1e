"""The forms' renderer writes select boxes, check boxes and radio buttons in Python
(woonoverlast.common.form_renderer, docs/performance.md): its markup must be Django's
templates', byte for byte, for every kind of choice, and on the pages that show them."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.urls import reverse
from django.utils.safestring import mark_safe

from tests.factories import CaseFactory, casemanager, teamleider
from woonoverlast.cases.models import Category, District
from woonoverlast.common.form_renderer import FormRenderer

CHOICES = [
    ("", "Alle"),
    (1, "Centrum & <Oost>"),
    ("2", mark_safe("<b>veilig</b>")),
    ("quote\"'", "Met 'aanhalingstekens\""),
    (
        "Groep",
        [(3, "Drie"), (4, "Vier & vijf")],
    ),
    (5, 5000),
]
ATTRS = {"required": True, "disabled": False, "aria-describedby": "x_helptext", "data-a": '"b"'}


def both(widget, name="veld", value=None):
    """The widget rendered by Django's templates and by the project's renderer."""
    return (
        widget.render(name, value, renderer=DjangoTemplates()),
        widget.render(name, value, renderer=FormRenderer()),
    )


@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(choices=CHOICES),
        forms.Select(choices=CHOICES, attrs=ATTRS),
        forms.Select(choices=[]),
        forms.SelectMultiple(choices=CHOICES, attrs={"id": "id_veld", "class": "wijd"}),
        forms.NullBooleanSelect(),
        forms.CheckboxSelectMultiple(choices=CHOICES),
        forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"id": "id_veld", "class": "c"}),
        forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"id": "id_veld", **ATTRS}),
        forms.RadioSelect(choices=CHOICES, attrs={"id": "id_veld"}),
        forms.RadioSelect(choices=CHOICES),
        forms.RadioSelect(choices=[]),
    ],
    ids=lambda widget: type(widget).__name__,
)
@pytest.mark.parametrize("value", [None, "", "2", ["1", "4"], 5, True, "quote\"'"])
def test_a_widget_is_written_as_the_templates_write_it(widget, value):
    if isinstance(widget, forms.NullBooleanSelect) and isinstance(value, list):
        pytest.skip("a yes/no has one value")
    django, ours = both(widget, value=value)
    assert ours == django


def test_an_option_with_its_own_template_is_left_to_the_templates(monkeypatch):
    class Special(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    calls = []
    monkeypatch.setattr(
        DjangoTemplates, "render", lambda self, name, *a, **k: calls.append(name) or ""
    )
    Special(choices=CHOICES).render("veld", "1", renderer=FormRenderer())
    assert calls == ["django/forms/widgets/select.html"]


@pytest.mark.django_db
def test_model_choices_are_written_as_the_templates_write_them():
    District.objects.create(name="Noord & <Zuid>")
    fields = [
        forms.ModelChoiceField(District.objects.all()),
        forms.ModelMultipleChoiceField(District.objects.all(), widget=forms.CheckboxSelectMultiple),
        forms.ModelChoiceField(Category.objects.all(), to_field_name="code", empty_label="Alle"),
    ]
    for field in fields:
        for value in (None, District.objects.first().pk, [District.objects.last().pk]):
            django, ours = both(field.widget, value=value)
            assert ours == django


@pytest.fixture
def renderer(settings):
    """Render with the renderer named: Django's or the project's (the default is cached)."""

    def use(path):
        settings.FORM_RENDERER = path
        get_default_renderer.cache_clear()

    yield use
    get_default_renderer.cache_clear()


def _without_tokens(html: str) -> str:
    # Fresh on every request: the CSRF token, the one-time token of a create form, the nonce.
    html = re.sub(r'name="(csrfmiddlewaretoken|submission_token)" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


@pytest.mark.django_db
def test_the_pages_are_the_same_with_either_renderer(client, renderer):
    """The pages with the most choices (the case list's filters and bulk form, the new case,
    a new action, the facts, a reassignment), each shown with Django's renderer and with ours."""
    case = CaseFactory()
    category = Category.objects.first()
    client.force_login(teamleider())
    pages = [
        reverse("cases:list")
        + f"?q=straat&wijk={case.district_id}&status=open&categorie={category.code}",
        reverse("cases:create"),
        reverse("cases:action_add", kwargs={"reference": case.reference}),
        reverse("cases:reassign", kwargs={"reference": case.reference}),
        reverse("cases:edit", kwargs={"reference": case.reference}),
        reverse("cases:mine"),
    ]
    for page in pages:
        renderer("django.forms.renderers.DjangoTemplates")
        django = client.get(page)
        renderer("woonoverlast.common.form_renderer.FormRenderer")
        ours = client.get(page)
        assert django.status_code == ours.status_code == 200, page
        html = ours.content.decode()
        assert re.search(r'<select|type="(radio|checkbox)"', html) or page == pages[-1], page
        assert _without_tokens(ours.content.decode()) == _without_tokens(django.content.decode()), (
            page
        )
    client.force_login(casemanager())
    renderer("django.forms.renderers.DjangoTemplates")
    django = client.get(pages[0])
    renderer("woonoverlast.common.form_renderer.FormRenderer")
    assert _without_tokens(client.get(pages[0]).content.decode()) == _without_tokens(
        django.content.decode()
    )
