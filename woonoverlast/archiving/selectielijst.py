"""The resultaten of the Selectielijst gemeenten en intergemeentelijke organen 2020
(Staatscourant 2020, 11143) that the team's cases and maatregelen can get: the initial rows of
the ResultType table (data migration 0002). Team leaders keep the table in the admin.

Numbers, waardering and terms as in the list (checked against the VNG's Referentielijsten
fixture of the 2020 list): 6 Verzoeken behandelen, 12 Toezien en handhaven, 13 Geschillen
behandelen, 18 Betalen en innen, 19 Secretariaat voeren en gegevens administreren.
"""

# (number, description, waardering, term in years or None, applies to)
RESULT_TYPES = [
    ("6.1", "Melding behandeld (ingewilligd)", "vernietigen", 5, "casus"),
    # 6.1.8 and 6.2 also for the maatregel of kind handhavingsverzoek (migration 0004).
    ("6.1.8", "Handhavingsverzoek ingewilligd", "vernietigen", 5, "beide"),
    ("6.2", "Melding afgewezen / niet in behandeling genomen", "vernietigen", 1, "beide"),
    ("6.3", "Behandeling melding afgebroken", "vernietigen", 1, "casus"),
    ("12.2", "Handhaving uitgevoerd (gedragsaanwijzing, sluiting)", "vernietigen", 10, "beide"),
    (
        "12.2.1",
        "Handhaving uitgevoerd: doorlopende verplichting tot (niet) handelen",
        "vernietigen",
        5,
        "maatregel",
    ),
    ("12.2.3", "Handhaving uitgevoerd: tijdelijk huisverbod", "vernietigen", 5, "maatregel"),
    ("12.3", "Handhaving afgebroken", "vernietigen", 1, "maatregel"),
    ("13.1", "Bezwaar of beroep afgehandeld", "vernietigen", 5, "maatregel"),
    (
        "13.1.1",
        "Bezwaar of beroep afgehandeld: met financiële consequenties",
        "vernietigen",
        7,
        "maatregel",
    ),
    (
        "13.1.3",
        "Bezwaar of beroep afgehandeld: met invloed op een te bewaren zaak",
        "blijvend_bewaren",
        None,
        "maatregel",
    ),
    ("13.1.4", "Bezwaar of beroep niet-ontvankelijk", "vernietigen", 1, "maatregel"),
    ("13.2", "Bezwaar of beroep afgebroken", "vernietigen", 1, "maatregel"),
    ("18.3", "Invordering: geïnd", "vernietigen", 7, "maatregel"),
    ("18.4", "Invordering: niet geïnd", "vernietigen", 7, "maatregel"),
    ("19.1.10", "Verslag van bestuurlijk overleg met derden", "vernietigen", 10, "casus"),
    (
        "19.1.11",
        "Verslag van ambtelijk overleg met derden (casusoverleg)",
        "vernietigen",
        5,
        "casus",
    ),
]

# Defaults the services derive (services.default_case_result / default_measure_result).
HANDLED = "6.1"
NOT_TAKEN_UP = "6.2"
REQUEST_GRANTED = "6.1.8"
ENFORCED = "12.2"
ENFORCEMENT_STOPPED = "12.3"
COLLECTED = "18.3"
NOT_COLLECTED = "18.4"
DISPUTE_HANDLED = "13.1"
DISPUTE_FINANCIAL = "13.1.1"
DISPUTE_INADMISSIBLE = "13.1.4"
DISPUTE_STOPPED = "13.2"
# Selectielijst 2020, 19.1.24 'Login-gegevens': vernietigen na 6 maanden (a term in months,
# so not a row of the yearly table; services.login_events_list_propose uses it).
LOGIN_DATA_NUMBER = "19.1.24"
LOGIN_DATA_MONTHS = 6
