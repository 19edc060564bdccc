"""The case file of the web benchmarks: two clients, no evidence (the store is filled with
synthetic rows by ``breachscope.web.fake``). Shared by ``web_load.py`` and
``web_people.py``; imports nothing, so locust's workers can load it."""


def case_toml(incident: str) -> str:
    """The case file's text, with ``incident`` as the incident's name."""
    return f'''\
evidence = "evidence"
[incident]
name = "{incident}"
discovery_date = 2025-02-06
[reporting_entity]
name = "Bench"
role = "business_associate"
[[clients]]
id = "mercy-valley-health"
name = "Mercy Valley Health System"
kind = "provider"
covered_entity = true
paths = ["mercy-valley-health/**"]
[[clients]]
id = "lakeside-health-plan"
name = "Lakeside Health Plan"
kind = "health_plan"
covered_entity = true
paths = ["lakeside-health-plan/**"]
'''
