"""The due list's rows made in Python (followups_tags.due_rows) equal the template markup they
replaced, for every kind of item, urgency and column, with and without the done button."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from woonoverlast.followups.selection import DueItem, Kind, Urgency

D = datetime.date

# The rows as followups/due_list.html rendered them before (one include per badge and button).
TEMPLATE_ROWS = """{% for item in due %}
      <tr>
        <td data-label="Urgentie">{% include "followups/_badge.html" %}</td>
        <td class="nowrap" data-label="Datum">{{ item.due_on|date:"d-m-Y" }}</td>
        <th scope="row" class="nowrap"><a href="{{ item.url }}">{{ item.reference }}</a></th>
        <td data-label="Soort">{{ item.kind_label }}</td>
        <td data-label="Wat">{{ item.description }}</td>
        {% if show_casemanager %}<td data-label="Casemanager">\
{{ item.casemanager_name|default:"Niet toegewezen" }}</td>{% endif %}
        {% if can_work_cases %}<td class="cell--action">{% if item.is_follow_up %}\
{% include "followups/_done_button.html" %}{% elif item.record_url %}\
{% include "followups/_record_link.html" %}{% endif %}</td>{% endif %}
      </tr>
      {% endfor %}"""
FAST_ROWS = "{% load followups_tags %}{% due_rows due show_casemanager %}"


def _items() -> list[DueItem]:
    measure_kind = next(iter(Kind.MEASURE))
    common = {"due_on": D(2024, 6, 10), "case_id": 1, "since": D(2024, 5, 1)}
    return (
        [
            DueItem(
                kind=Kind.FOLLOW_UP,
                urgency=urgency,
                reference="WO-2024-0001",
                action_id=41,
                action_label="Gesprek <met> buren",
                casemanager_name="Anna & Bert",
                **common,
            )
            for urgency in (Urgency.OVERDUE, Urgency.TODAY, Urgency.THIS_WEEK)
        ]
        + [
            DueItem(kind=Kind.REVIEW, urgency=Urgency.TODAY, reference="WO-2024-0002", **common),
            DueItem(kind=Kind.STALLED, urgency=Urgency.OVERDUE, reference="WO-2024-0003", **common),
            DueItem(
                kind=Kind.AFTERCARE, urgency=Urgency.OVERDUE, reference="WO-2024-0004", **common
            ),
            DueItem(
                kind=measure_kind,
                urgency=Urgency.THIS_WEEK,
                reference="WO-2024-0005",
                measure_id=7,
                measure_label="Last onder dwangsom",
                **common,
            ),
            DueItem(kind=Kind.INTAKE, urgency=Urgency.OVERDUE, reference="MLD-2024-0001", **common),
        ]
        + [
            # A maatregel's task with the link that records its step, one of them a team leader's.
            DueItem(
                kind=measure_kind,
                urgency=Urgency.TODAY,
                reference="WO-2024-0006",
                measure_id=8,
                measure_label="Last onder dwangsom",
                record_step="controle",
                record_by_team_leader=by_team_leader,
                **common,
            )
            for by_team_leader in (False, True)
        ]
    )


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize("show_casemanager", [False, True])
@pytest.mark.parametrize("can_work_cases", [False, True])
@pytest.mark.parametrize("next_url", ["", "/casussen/mijn/?a=1&b=2"])
@pytest.mark.parametrize("can_lead_team", [False, True])
def test_the_rows_equal_the_template_they_replaced(
    show_casemanager, can_work_cases, next_url, can_lead_team
):
    request = RequestFactory().get("/termijnen/?casemanager=3&soort=vervolg")
    context = {
        "due": _items(),
        "show_casemanager": show_casemanager,
        "can_work_cases": can_work_cases,
        "can_lead_team": can_lead_team,
        "request": request,
        "csrf_token": "token-of-this-page",
        "next": next_url,
    }
    slow = Template(TEMPLATE_ROWS).render(Context(context))
    fast = Template(FAST_ROWS).render(Context(context))
    assert _normal(fast) == _normal(slow)
    assert ("Afgehandeld" in fast) is can_work_cases
    assert ("Anna &amp; Bert" in fast) is show_casemanager
    assert ("Vastleggen" in fast) is can_work_cases
    assert ("door een teamleider" in fast) is (can_work_cases and not can_lead_team)


# The team table's rows as followups/team_summary.html rendered them before (an include of
# followups/_count_link.html per count, here written out).
COUNT_LINK = (
    "{% if n %}<a href=\"{% url 'followups:due' %}?casemanager={{ who }}"
    '{% if query %}&amp;{{ query }}{% endif %}#team-termijnen">{% if overdue %}'
    '<strong class="text-overdue">{{ n }}</strong>{% else %}{{ n }}{% endif %}</a>'
    "{% else %}0{% endif %}"
)
TEMPLATE_TEAM_ROWS = """{% for row in team_rows %}\
{% with who=row.casemanager_id|default_if_none:"geen" %}
      <tr>
        <th scope="row">{{ row.name }}</th>
        <td class="number">{% with n=row.overdue query="urgentie=te_laat" overdue=True %}LINK\
{% endwith %}</td>
        <td class="number">{% with n=row.today query="urgentie=vandaag" %}LINK{% endwith %}</td>
        <td class="number">{% with n=row.this_week query="urgentie=deze_week" %}LINK\
{% endwith %}</td>
        <td class="number">{% with n=row.stalled query="soort=stilgevallen" %}LINK{% endwith %}</td>
        <td class="number">{% with n=row.aftercare query="soort=nazorg" %}LINK{% endwith %}</td>
        <td class="number">{% with n=row.feedback query="soort=terugkoppeling" %}LINK\
{% endwith %}</td>
        <td class="number">{% with n=row.total query="" %}LINK{% endwith %}</td>
      </tr>
      {% endwith %}{% endfor %}""".replace("LINK", COUNT_LINK)


@pytest.mark.parametrize("as_dicts", [False, True], ids=["team rows", "a stored digest's"])
def test_the_team_rows_equal_the_template_they_replaced(as_dicts):
    from dataclasses import asdict

    from woonoverlast.followups.selection import TeamRow

    rows = [
        TeamRow(7, "Anna & <Bert>", 3, 0, 12, 1, 0, 16, feedback=2),
        TeamRow(12345, "Zoë", 0, 1, 0, 0, 4, 1234),
        TeamRow(None, "Niet toegewezen", 0, 0, 0, 0, 0, 0),
    ]
    context = Context({"team_rows": [asdict(row) for row in rows] if as_dicts else rows})
    slow = Template(TEMPLATE_TEAM_ROWS).render(context)
    fast = Template("{% load followups_tags %}{% team_summary_rows team_rows %}").render(context)
    assert _normal(fast) == _normal(slow)
    assert "Anna &amp; &lt;Bert&gt;" in fast
    assert '?casemanager=geen&amp;soort=nazorg#team-termijnen">' not in fast  # a 0 links nowhere
    assert '<a href="/termijnen/?casemanager=7&amp;urgentie=te_laat#team-termijnen">' in fast
    assert '<strong class="text-overdue">3</strong>' in fast
    assert '?casemanager=12345#team-termijnen">1234</a>' in fast
