"""The throughput load test: the team's pages and writes as fast as people click.

The same people and pages as bench/locustfile.py (the working day), in the proportions of a
team (casemanagers 70 %, team leaders 20 %, rapportage 10 %), but with 1 to 3 seconds between
clicks instead of 10 to 30: 50 simulated people ask about 22 pages a second, the load of
several teams on one installation. Started by `python -m bench.run` (the step `mix`), which
judges the result against its targets (bench/load.py MIX_TARGETS): every daily page p95 under
300 ms, no failures, at least 22 requests a second, Tabel 5.1's page under 1 s.
"""

from locust import between

from bench import locustfile as day

THINK = between(1, 3)


class Casemanager(day.Casemanager):
    weight = 7
    wait_time = THINK


class Teamleider(day.Teamleider):
    weight = 2
    wait_time = THINK


class Rapportage(day.Rapportage):
    weight = 1
    wait_time = THINK
