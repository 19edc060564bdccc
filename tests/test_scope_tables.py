"""With database audit logs, only the tables the intruder read are mined from a dump."""

from __future__ import annotations

from pathlib import Path

from breachscope.case import load_case
from breachscope.pipeline import run_all
from breachscope.store import open_case_store

CASE = """\
evidence = "evidence"

[incident]
name = "Database exfiltration"
discovery_date = 2025-02-06

[reporting_entity]
name = "Vendor LLC"
role = "business_associate"

[[clients]]
id = "plan"
name = "Blue Lake Health Plan"
kind = "health_plan"
covered_entity = true
paths = ["db/**"]

[settings]
encrypt = false
"""

SCOPE = """
[scope]
logs = ["logs/postgresql.csv"]
start = 2025-01-27T00:00:00Z
end = 2025-02-06T23:59:59Z
accounts = ["svc_scan"]
ips = ["203.0.113.0/24"]
[scope.tables]
"public.members" = ["db/claimsdb.sql"]
"public.staff_notes" = ["db/claimsdb.sql"]
"""

DUMP = """\
CREATE TABLE public.members (member_id text, last_name text, first_name text, dob date, ssn text);
INSERT INTO public.members (member_id, last_name, first_name, dob, ssn) VALUES
  ('BLH100200300', 'Quintero', 'Marisol', '1961-03-14', '512-44-3871'),
  ('BLH100200301', 'Okafor', 'Chidi', '1990-07-02', '431-22-9087');
CREATE TABLE public.staff_notes (patient_last text, patient_first text, birth_date date, diagnosis text);
INSERT INTO public.staff_notes (patient_last, patient_first, birth_date, diagnosis) VALUES
  ('Lindqvist', 'Astrid', '1955-11-30', 'E11.9');
"""

LOG_LINE = (
    '2025-01-28 03:14:07.123 UTC,"svc_scan","claimsdb",24511,"203.0.113.5:51234",'
    '65a1b2c3.5fbf,3,"SELECT",2025-01-28 03:14:00 UTC,3/42,0,LOG,00000,'
    '"AUDIT: SESSION,1,1,READ,SELECT,TABLE,{table},""SELECT * FROM {table}"",<not logged>",'
    ',,,,,,,,"psql","client backend",,0\n'
)


def _people(case_path: Path) -> set[str]:
    case = load_case(case_path)
    con = open_case_store(case, read_only=True)
    try:
        return {
            str(r[0]).upper() for r in con.execute("SELECT last_name FROM individuals").fetchall()
        }
    finally:
        con.close()


def test_only_read_tables_are_mined_and_a_wider_read_is_picked_up(tmp_path: Path) -> None:
    (tmp_path / "evidence" / "db").mkdir(parents=True)
    (tmp_path / "evidence" / "db" / "claimsdb.sql").write_text(DUMP)
    (tmp_path / "logs").mkdir()
    log = tmp_path / "logs" / "postgresql.csv"
    log.write_text(LOG_LINE.format(table="public.members"))
    toml = tmp_path / "case.toml"
    toml.write_text(CASE + SCOPE)
    run_all(load_case(toml), stages=("ingest", "detect", "link", "resolve"))
    assert _people(toml) == {"QUINTERO", "OKAFOR"}  # staff_notes was not read

    # Forensics finds the intruder read the other table too: the dump is mined again.
    log.write_text(
        LOG_LINE.format(table="public.members") + LOG_LINE.format(table="public.staff_notes")
    )
    run_all(load_case(toml), stages=("ingest", "detect", "link", "resolve"))
    assert _people(toml) == {"QUINTERO", "OKAFOR", "LINDQVIST"}
