"""The realistic load test: the team's working day, simulated by Locust against gunicorn.

Started by `python -m bench.run` (part of `make bench`), which logs the simulated users in
(real sessions of the bench users, one per simulated person), writes their session keys and
the cases each may open to the file named by BENCH_LOCUST_PLAN, and runs Locust headless.

The mix follows the team: for every nine people, six casemanagers, two team leaders and one
policy officer (rapportage). Each waits between actions as a person reading a page does: 10 to
30 seconds for a case file, a list or a form (a policy officer reading figures, 20 to 60), so
that 50 simulated people open about 2.5 pages a second, as 50 people at work would. An earlier
version waited 2 to 6 seconds: 12 pages a second, the load of several hundred people, which
saturated the two cores (docs/performance.md).
Request names group the URLs per page, so the report has one line per kind of page.
"""

import json
import os
import random
import re
from datetime import date, timedelta

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["BENCH_LOCUST_PLAN"], encoding="utf-8").read())  # noqa: SIM115

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_SELECTED = re.compile(r'<option value="(\d+)" selected>')


def _dutch(day: date) -> str:
    return day.strftime("%d-%m-%Y")


class _TeamMember(HttpUser):
    abstract = True
    wait_time = between(10, 30)
    role = ""

    def on_start(self):
        person = random.choice(PLAN["people"][self.role])
        self.client.cookies.set("sessionid", person["session"])
        self.cases = person["cases"] or PLAN["cases"]
        self.districts = PLAN["districts"]

    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response

    def submit(self, form_url: str, data, name: str):
        """GET the form (its CSRF and one-time tokens), then POST it as a browser does.
        `data`: the fields to fill in, or a function of the form's HTML that returns them."""
        form = self.page(form_url, f"{name} (formulier)")
        fields = dict(_HIDDEN.findall(form.text))
        if callable(data):
            data = data(form.text)
        # The CSRF cookie is marked Secure (DEBUG is off) and the load test speaks plain HTTP
        # on loopback, so it is sent back explicitly, as a browser over HTTPS would.
        with self.client.post(
            form_url,
            data={**fields, **data},
            cookies={"csrftoken": self.client.cookies.get("csrftoken", "")},
            name=name,
            headers={"Referer": self.host + form_url},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # A stored form redirects (303/302); a refused one re-renders with 200.
            if response.status_code not in (302, 303):
                response.failure(f"niet opgeslagen ({response.status_code})")


class Casemanager(_TeamMember):
    weight = 6
    role = "casemanager"

    @task(5)
    def my_cases(self):
        self.page("/casussen/mijn/", "Mijn casussen")

    @task(2)
    def start_page(self):
        self.page("/", "Startpagina")

    @task(3)
    def search(self):
        self.page(f"/casussen/?q={random.choice(PLAN['streets'])}", "Zoeken")

    @task(6)
    def case_file(self):
        self.page(f"/casussen/{random.choice(self.cases)}/", "Casusdossier")

    @task(2)
    def own_deadlines(self):
        self.page("/termijnen/", "Termijnen (eigen)")

    @task(1)
    def log_action(self):
        reference = random.choice(self.cases)
        self.submit(
            f"/casussen/{reference}/acties/nieuw/",
            {
                "action_type": "gesprek",
                "performed_on": _dutch(date.today()),
                "notes": "Gesprek met bewoner (belastingtest).",
                "follow_up_on": _dutch(date.today() + timedelta(days=14)),
            },
            "Actie vastleggen",
        )

    @task(1)
    def log_home_visit(self):
        reference = random.choice(self.cases)
        self.submit(
            f"/casussen/{reference}/huisbezoeken/nieuw/",
            {
                "performed_on": _dutch(date.today()),
                "present": "bewoner, casemanager",
                "findings": "Woning bezocht (belastingtest).",
            },
            "Huisbezoek vastleggen",
        )

    @task(1)
    def add_report(self):
        reference = random.choice(self.cases)
        self.submit(
            f"/casussen/{reference}/meldingen/nieuw/",
            {
                "received_on": _dutch(date.today()),
                "source": "buurtbewoner",
                "text": "Nieuwe melding (belastingtest).",
            },
            "Melding toevoegen",
        )


class Teamleider(_TeamMember):
    weight = 2
    role = "teamleider"

    @task(4)
    def start_page(self):
        self.page("/", "Startpagina teamleider")

    @task(3)
    def team_deadlines(self):
        self.page("/termijnen/", "Termijnen (team)")

    @task(3)
    def district(self):
        self.page(
            f"/casussen/?wijk={random.choice(self.districts)}&status=open", "Casussen van een wijk"
        )

    @task(2)
    def case_file(self):
        self.page(f"/casussen/{random.choice(self.cases)}/", "Casusdossier")

    @task(1)
    def reassign(self):
        reference = random.choice(self.cases)

        def to_someone_else(html: str) -> dict:
            # Not the current casemanager (the form preselects them): that is refused.
            current = _SELECTED.findall(html)
            others = [pk for pk in PLAN["casemanager_ids"] if str(pk) not in current]
            return {"casemanager": str(random.choice(others)), "reason": "Werkverdeling."}

        self.submit(f"/casussen/{reference}/toewijzen/", to_someone_else, "Toewijzen")


class Rapportage(_TeamMember):
    weight = 1
    role = "rapportage"
    wait_time = between(20, 60)

    @task(3)
    def tabel51(self):
        year = random.choice(PLAN["years"])
        self.page(f"/rapportages/tabel-5-1/?jaar={year}", "Tabel 5.1 (jaarrapport)")

    @task(2)
    def overview(self):
        self.page("/rapportages/overzicht/", "Overzicht")

    @task(1)
    def tabel51_xlsx(self):
        year = random.choice(PLAN["years"])
        self.page(f"/rapportages/tabel-5-1/xlsx/?jaar={year}", "Tabel 5.1 XLSX (jaarexport)")
