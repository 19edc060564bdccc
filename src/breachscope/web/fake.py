"""Synthetic rows for every table the web app reads, for its tests, screenshots and bench.

Generated in SQL so a million people take seconds. All values are made up: SSNs start
with 9 (never issued as SSNs), phone numbers use 555-01xx, e-mails use example.org.
Tables are filled only when empty, so it never mixes with a real pipeline's output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Karen",
    "Daniel",
    "Lisa",
    "Matthew",
    "Nancy",
    "Anthony",
    "Betty",
    "Mark",
    "Sandra",
    "Donald",
    "Ashley",
    "Steven",
    "Emily",
    "Andrew",
    "Kimberly",
    "Joshua",
    "Donna",
    "Kevin",
    "Michelle",
    "Brian",
    "Carol",
    "Wei",
    "Aisha",
    "Luis",
    "Priya",
    "Omar",
    "Mei",
    "Diego",
    "Fatima",
    "Hiro",
    "Ana",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Chen",
    "Patel",
]
STREETS = [
    "Oak",
    "Maple",
    "Cedar",
    "Pine",
    "Elm",
    "Lakeview",
    "Hillcrest",
    "Sunset",
    "Washington",
    "Park",
    "River",
    "Meadow",
]
CITIES = (
    ("Springfield", "IL"), ("Columbus", "OH"), ("Austin", "TX"), ("Fresno", "CA"),
    ("Tampa", "FL"), ("Albany", "NY"), ("Mesa", "AZ"), ("Tulsa", "OK"), ("Raleigh", "NC"),
    ("Aurora", "CO"), ("Dayton", "OH"), ("Erie", "PA"), ("Reno", "NV"), ("Macon", "GA"),
    ("Salem", "OR"), ("Provo", "UT"), ("Newark", "NJ"), ("Boise", "ID"), ("Flint", "MI"),
    ("Joliet", "IL"), ("Laredo", "TX"), ("Irvine", "CA"), ("Akron", "OH"), ("Camden", "NJ"),
    ("Bangor", "ME"), ("Trenton", "NJ"), ("Billings", "MT"), ("Fargo", "ND"), ("Omaha", "NE"),
    ("Hilo", "HI"), ("Juneau", "AK"), ("Ponce", "PR"), ("Dover", "DE"), ("Casper", "WY"),
)  # fmt: skip
ELEMENT_SETS = (
    ["name", "address", "dob", "ssn", "member_id", "health_plan"],
    ["name", "dob", "mrn", "diagnosis", "provider", "procedure"],
    ["name", "address", "phone", "dob", "member_id"],
    ["name", "dob", "test_result", "mrn", "provider"],
    ["name", "email", "phone", "member_id", "medication", "diagnosis"],
    ["name", "address", "ssn", "bank_account"],
)
FILE_TYPES = ("csv", "xlsx", "pdf", "hl7", "docx", "txt", "x12")
EXPLAIN = {
    "name": "column header 'Patient Name' + name dictionary (94% of sampled values)",
    "address": "column header 'Address' + usaddress parse",
    "dob": "column header 'DOB' + valid dates before the service date",
    "ssn": "column header 'SSN' + SSN area/group/serial rules",
    "member_id": "column header 'Member ID' + payer ID format",
    "health_plan": "organisation name matches a client health plan",
    "mrn": "label 'MRN:' before an 8-digit number",
    "diagnosis": "ICD-10-CM code list + context word 'Dx'",
    "provider": "NPI with valid Luhn check beside 'Attending'",
    "procedure": "CPT-like code beside 'Procedure'",
    "phone": "E.164-normalisable number beside 'Phone'",
    "email": "e-mail pattern in column 'Email'",
    "test_result": "LOINC-coded OBX segment",
    "medication": "RxNorm drug name beside 'Rx'",
    "bank_account": "ABA routing checksum + account column",
}


def _list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def fill_store(
    con: duckdb.DuckDBPyConnection,
    *,
    people: int = 300,
    clients: tuple[str, ...] = ("mercy-valley-health", "lakeside-health-plan"),
    seed: int = 1,
    findings: bool = True,
    discovery: dt.date = dt.date(2025, 2, 6),
    obligations: bool = True,
) -> None:
    """Fill an empty case store with ``people`` synthetic individuals and everything
    around them: files, documents, rows, findings, mentions, review queue, stage runs and
    (optionally) an ``obligations`` table shaped like the assess stage's."""
    n_files = max(12, people // 40)
    cl = _list(list(clients))
    con.execute("BEGIN TRANSACTION")
    con.execute(f"SELECT setseed({(seed % 1000) / 1000.0})")
    # ---------------------------------------------------------------- files + documents
    con.execute(
        f"""
        INSERT INTO files
        SELECT md5('f' || i)[:16],
               {cl}[1 + i % {len(clients)}] || '/' ||
               ['rosters', 'claims', 'charts', 'labs', 'mail'][1 + i % 5] || '/batch_' ||
               lpad(CAST(i AS VARCHAR), 4, '0') || '.' || {_list(FILE_TYPES)}[1 + i % 7],
               NULL, 0, 2000 + (i * 7919) % 900000, md5('s' || i),
               {_list(FILE_TYPES)}[1 + i % 7],
               CASE WHEN i % 11 = 5 THEN 'failed' WHEN i % 13 = 7 THEN 'skipped'
                    ELSE 'processed' END,
               CASE WHEN i % 11 = 5 THEN ['encrypted: password-protected archive member',
                                           'corrupt: broken xref table'][1 + i % 2]
                    WHEN i % 13 = 7 THEN 'unsupported: executable' ELSE '' END,
               [{cl}[1 + i % {len(clients)}]], 1, 0,
               TIMESTAMP '2025-02-10 09:00:00' + INTERVAL (i) MINUTE
        FROM range({n_files}) t(i)
        """
    )
    con.execute(
        """
        INSERT INTO documents
        SELECT file_id || ':0', file_id, 0,
               CASE WHEN detected_type IN ('csv', 'xlsx') THEN 'table' ELSE 'text' END,
               CASE WHEN detected_type = 'xlsx' THEN 'sheet Members'
                    WHEN detected_type = 'csv' THEN 'table' ELSE 'page 1' END,
               CASE WHEN detected_type IN ('csv', 'xlsx') THEN NULL ELSE 1 END,
               CASE WHEN detected_type = 'xlsx' THEN 'Members' END,
               CASE WHEN detected_type IN ('csv', 'xlsx') THEN NULL
                    ELSE 'Patient: (synthetic chart text for ' || file_id || ')' END,
               CASE WHEN detected_type IN ('csv', 'xlsx')
                    THEN ['Member ID', 'Last Name', 'First Name', 'DOB', 'SSN'] END,
               CASE WHEN detected_type IN ('csv', 'xlsx') THEN 1 ELSE 0 END,
               0
        FROM files WHERE status = 'processed'
        """
    )
    # ---------------------------------------------------------------- individuals
    cities = _list([c for c, _ in CITIES])
    states = _list([s for _, s in CITIES])
    con.execute(
        f"""
        CREATE TEMP TABLE _p AS
        SELECT i, md5('p' || i || ':{seed}')[:16] AS individual_id,
               {_list(FIRST)}[1 + (hash(i * 3 + {seed}) % {len(FIRST)})::INT] AS first_name,
               {_list(LAST)}[1 + (hash(i * 5 + {seed}) % {len(LAST)})::INT] AS last_name,
               DATE '1935-01-01' + CAST(hash(i * 7 + {seed}) % 32000 AS INT) AS dob,
               (hash(i * 11 + {seed}) % {len(CITIES)})::INT + 1 AS ci,
               (hash(i * 13 + {seed}) % {len(ELEMENT_SETS)})::INT AS es,
               1 + (hash(i * 17 + {seed}) % 3)::INT AS k
        FROM range({people}) t(i)
        """
    )
    sets = "[" + ", ".join(_list(s) for s in ELEMENT_SETS) + "]"
    con.execute(
        f"""
        INSERT INTO individuals
        SELECT individual_id, first_name,
               CASE WHEN i % 4 = 0 THEN chr(65 + (i % 26)::INT) END, last_name,
               CASE WHEN i % 29 = 0 THEN 'Jr' END,
               dob,
               CAST(100 + (i * 37) % 9800 AS VARCHAR) || ' ' || {_list(STREETS)}[1 + i % 12]
                   || ' St',
               CASE WHEN i % 23 = 0 THEN NULL ELSE {cities}[ci] END,
               CASE WHEN i % 23 = 0 THEN NULL ELSE {states}[ci] END,
               CASE WHEN i % 23 = 0 THEN NULL ELSE lpad(CAST((i * 7) % 99999 AS VARCHAR), 5, '0') END,
               CASE WHEN i % 23 = 0 THEN 'none' ELSE 'address' END,
               dob > DATE '{discovery.isoformat()}' - INTERVAL 18 YEAR,
               i % 97 = 3,
               CASE WHEN i % 31 = 0 THEN {cl} ELSE [{cl}[1 + i % {len(clients)}]] END,
               {sets}[es + 1],
               k, k,
               i % 41 = 0
        FROM _p
        """
    )
    # ---------------------------------------------------------------- mentions
    con.execute(
        """
        CREATE TEMP TABLE _docs AS
        SELECT row_number() OVER (ORDER BY d.doc_id) - 1 AS j, d.doc_id, d.file_id, f.path,
               d.locator, d.kind, f.client_ids
        FROM documents d JOIN files f USING (file_id)
        """
    )
    n_docs = int((con.execute("SELECT count(*) FROM _docs").fetchone() or (0,))[0])
    con.execute(
        f"""
        CREATE TEMP TABLE _m AS
        SELECT p.*, r.r, (hash(p.i * 19 + r.r * 101 + {seed}) % {n_docs})::INT AS j,
               p.i * 3 + r.r AS row_key
        FROM _p p, LATERAL (SELECT unnest(range(p.k)) AS r) r
        """
    )
    con.execute(
        f"""
        INSERT INTO mentions
        SELECT d.doc_id || ':' || m.row_key, d.doc_id, d.file_id, d.path, d.locator,
               CASE WHEN d.kind = 'table' THEN 2 + (m.row_key % 5000)::INT END,
               CASE WHEN d.kind = 'text' THEN 1 END,
               d.client_ids,
               CASE WHEN m.r = 1 AND m.i % 3 = 0 THEN left(m.first_name, 1) ELSE m.first_name END,
               NULL, m.last_name, NULL,
               CASE WHEN m.r = 2 THEN NULL ELSE m.dob END,
               CASE WHEN list_contains({sets}[m.es + 1], 'ssn')
                    THEN '9' || lpad(CAST(m.i % 100000000 AS VARCHAR), 8, '0') END,
               CASE WHEN list_contains({sets}[m.es + 1], 'ssn')
                    THEN right(lpad(CAST(m.i % 100000000 AS VARCHAR), 8, '0'), 4) END,
               CAST(100 + (m.i * 37) % 9800 AS VARCHAR) || ' ' || {_list(STREETS)}[1 + m.i % 12]
                   || ' St',
               {cities}[m.ci], {states}[m.ci], lpad(CAST((m.i * 7) % 99999 AS VARCHAR), 5, '0'),
               CASE WHEN list_contains({sets}[m.es + 1], 'phone')
                    THEN '+1555010' || lpad(CAST(m.i % 100 AS VARCHAR), 2, '0') END,
               CASE WHEN list_contains({sets}[m.es + 1], 'email')
                    THEN lower(m.first_name) || '.' || m.i || '@example.org' END,
               CASE WHEN list_contains({sets}[m.es + 1], 'member_id')
                    THEN 'MBR' || lpad(CAST(m.i AS VARCHAR), 8, '0') END,
               CASE WHEN list_contains({sets}[m.es + 1], 'mrn')
                    THEN 'MRN' || lpad(CAST(m.i AS VARCHAR), 7, '0') END,
               NULL, m.i % 97 = 3, NULL, NULL,
               {sets}[m.es + 1], len({sets}[m.es + 1])
        FROM _m m JOIN _docs d ON d.j = m.j
        """
    )
    con.execute(
        """
        INSERT INTO individual_mentions
        SELECT m.individual_id, d.doc_id || ':' || m.row_key,
               CASE WHEN m.r = 0 THEN 1.0 ELSE 0.90 + (m.row_key % 10) / 100.0 END
        FROM _m m JOIN _docs d ON d.j = m.j
        """
    )
    if findings:
        explain = (
            "MAP {"
            + ", ".join(f"'{k}': '{v.replace(chr(39), chr(39) * 2)}'" for k, v in EXPLAIN.items())
            + "}"
        )
        con.execute(
            """
            CREATE TEMP TABLE _f AS
            SELECT mm.mention_id || ':' || e.cat AS finding_id, mm.mention_id, mm.doc_id,
                   mm.file_id, mm.row_no, mm.page, e.cat
            FROM mentions mm, LATERAL (SELECT unnest(mm.elements) AS cat) e
            """
        )
        con.execute(
            f"""
            INSERT INTO findings
            SELECT finding_id, doc_id, file_id, row_no,
                   CASE WHEN row_no IS NOT NULL THEN upper(cat) END, page,
                   CASE WHEN row_no IS NULL THEN 10 END, CASE WHEN row_no IS NULL THEN 30 END,
                   cat, NULL, NULL, 'patient',
                   0.80 + (hash(finding_id) % 20) / 100.0,
                   CASE WHEN row_no IS NULL THEN 'text.pattern' ELSE 'table.column' END,
                   coalesce({explain}[cat], 'pattern match')
            FROM _f
            """
        )
        con.execute("INSERT INTO finding_mentions SELECT finding_id, mention_id FROM _f")
        con.execute(
            """
            UPDATE files SET n_findings = c.n FROM
              (SELECT file_id, count(*) AS n FROM findings GROUP BY 1) c
            WHERE files.file_id = c.file_id
            """
        )
    # table rows for table documents (a few per document, for the QC content view)
    con.execute(
        """
        INSERT INTO table_rows
        SELECT m.doc_id, m.row_no,
               [m.member_id, m.last_name, m.first_name, CAST(m.dob AS VARCHAR), m.ssn]
        FROM mentions m JOIN documents d ON d.doc_id = m.doc_id
        WHERE d.kind = 'table'
        QUALIFY row_number() OVER (PARTITION BY m.doc_id ORDER BY m.row_no) <= 40
        """
    )
    con.execute(
        "UPDATE documents SET n_rows = c.n FROM (SELECT doc_id, count(*) AS n FROM mentions "
        "GROUP BY 1) c WHERE documents.doc_id = c.doc_id"
    )
    # ---------------------------------------------------------------- review queue
    n_review = max(6, min(200, people // 20))
    # Pairs the resolver was unsure about: two mentions of one synthetic person, one of
    # them with an initial for a first name or no date of birth.
    con.execute(
        f"""
        INSERT INTO review_queue
        SELECT 'pair-' || (n - 1), 'pair', mention_a, mention_b, NULL,
               0.55 + (hash(mention_a) % 40) / 100.0,
               ['first name is an initial; same DOB and address',
                'same name and address; DOB missing on one',
                'same member ID; nickname'][1 + (n % 3)::INT]
        FROM (
            SELECT a.mention_id AS mention_a, b.mention_id AS mention_b,
                   row_number() OVER (ORDER BY hash(a.mention_id)) AS n
            FROM individual_mentions a JOIN individual_mentions b
              ON a.individual_id = b.individual_id AND a.mention_id < b.mention_id
        ) WHERE n <= {n_review}
        """
    )
    con.execute(
        f"""
        INSERT INTO review_queue
        SELECT 'cluster-' || individual_id, 'cluster', NULL, NULL, individual_id, NULL,
               'large cluster: ' || n_mentions || ' mentions across files'
        FROM individuals WHERE n_mentions >= 3 ORDER BY individual_id LIMIT {max(2, n_review // 4)}
        """
    )
    if findings:
        con.execute(
            f"""
            INSERT INTO review_queue
            SELECT f.finding_id, 'finding', fm.mention_id, NULL, NULL, f.confidence,
                   'low-confidence ' || f.category || ' detection in free text'
            FROM findings f JOIN finding_mentions fm USING (finding_id)
            WHERE f.detector = 'text.pattern' AND f.category IN ('diagnosis', 'medication')
            ORDER BY f.finding_id LIMIT {max(2, n_review // 4)}
            """
        )
    # ---------------------------------------------------------------- stage runs
    t0 = dt.datetime(2025, 2, 10, 9, 0)
    for n, (stage, detail) in enumerate(
        (
            ("ingest", f"files={n_files}"),
            ("detect", "findings=…"),
            ("link", "mentions=…"),
            ("resolve", f"individuals={people}"),
            ("assess", "obligations=…"),
            ("notify", "letters=…"),
        )
    ):
        con.execute(
            "INSERT INTO stage_runs VALUES (?, ?, ?, 'ok', ?)",
            [stage, t0 + dt.timedelta(minutes=5 * n), t0 + dt.timedelta(minutes=5 * n + 4), detail],
        )
    if obligations:
        _fill_obligations(con, clients, discovery)
    for t in ("_p", "_m", "_docs"):
        con.execute(f"DROP TABLE {t}")
    if findings:
        con.execute("DROP TABLE _f")
    con.execute("COMMIT")


_OBLIGATION_COLS = (
    "seq",
    "obligation_id",
    "client_id",
    "regime",
    "jurisdiction",
    "duty_holder",
    "obligation",
    "recipient",
    "agency",
    "triggered",
    "triggered_count",
    "triggered_by",
    "due",
    "due_text",
    "day_kind",
    "citation",
    "rule_id",
    "credit_monitoring_months",
    "earliest_binding",
)


def _fill_obligations(
    con: duckdb.DuckDBPyConnection, clients: tuple[str, ...], discovery: dt.date
) -> None:
    """Rows shaped like the assess stage's (columns by name, so extra columns stay NULL)."""
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS obligations (
            seq INTEGER, obligation_id VARCHAR, client_id VARCHAR, regime VARCHAR,
            jurisdiction VARCHAR, duty_holder VARCHAR, obligation VARCHAR, recipient VARCHAR,
            agency VARCHAR, triggered BOOLEAN, triggered_count INTEGER, triggered_by VARCHAR,
            due DATE, due_text VARCHAR, day_kind VARCHAR, citation VARCHAR, rule_id VARCHAR,
            credit_monitoring_months INTEGER, earliest_binding BOOLEAN
        )"""
    )
    d60 = discovery + dt.timedelta(days=60)
    d30 = discovery + dt.timedelta(days=30)
    templates = (
        (
            "HIPAA",
            "",
            "business_associate",
            "ba_notice",
            "covered_entity",
            None,
            True,
            1200,
            "every individual",
            d60,
            "without unreasonable delay, at most 60 days",
            "calendar",
            "45 CFR 164.410",
            "H-BA",
            None,
            False,
        ),
        (
            "HIPAA",
            "",
            "covered_entity",
            "individual_notice",
            "individuals",
            None,
            True,
            1200,
            "every individual",
            d60,
            "60 days after discovery",
            "calendar",
            "45 CFR 164.404",
            "H-IND",
            None,
            False,
        ),
        (
            "HIPAA",
            "",
            "covered_entity",
            "hhs_notice",
            "hhs",
            "HHS Office for Civil Rights",
            True,
            1200,
            "500 or more individuals",
            d60,
            "with the individual notices",
            "calendar",
            "45 CFR 164.408(b)",
            "H-HHS",
            None,
            False,
        ),
        (
            "HIPAA",
            "TX",
            "covered_entity",
            "media_notice",
            "media",
            "prominent TX media outlets",
            True,
            620,
            "more than 500 residents of TX",
            d60,
            "60 days after discovery",
            "calendar",
            "45 CFR 164.406",
            "H-MEDIA",
            None,
            False,
        ),
        (
            "TX",
            "TX",
            "covered_entity",
            "regulator_notice",
            "attorney_general",
            "Texas Attorney General",
            True,
            620,
            "250 or more TX residents",
            d30,
            "30 days after determination",
            "calendar",
            "Tex. Bus. & Com. Code § 521.053(i)",
            "TX-AG",
            None,
            True,
        ),
        (
            "CA",
            "CA",
            "covered_entity",
            "regulator_notice",
            "attorney_general",
            "California Attorney General",
            True,
            540,
            "more than 500 CA residents",
            None,
            "most expedient time possible",
            "",
            "Cal. Civ. Code § 1798.82(f)",
            "CA-AG",
            None,
            False,
        ),
        (
            "NY",
            "NY",
            "covered_entity",
            "regulator_notice",
            "attorney_general",
            "New York Attorney General",
            True,
            130,
            "any NY resident; SSN exposed",
            None,
            "most expedient time possible",
            "",
            "N.Y. Gen. Bus. Law § 899-aa(8)",
            "NY-AG",
            24,
            False,
        ),
        (
            "FL",
            "FL",
            "covered_entity",
            "individual_notice",
            "individuals",
            None,
            True,
            210,
            "any FL resident",
            d30,
            "30 days after determination",
            "calendar",
            "Fla. Stat. § 501.171(4)",
            "FL-IND",
            None,
            True,
        ),
        (
            "ME",
            "ME",
            "covered_entity",
            "regulator_notice",
            "attorney_general",
            "Maine Attorney General",
            False,
            4,
            "any ME resident",
            None,
            "",
            "",
            "10 M.R.S. § 1348",
            "ME-AG",
            None,
            False,
        ),
    )
    rows: list[tuple[object, ...]] = []
    for c in clients:
        for t in templates:
            rows.append((len(rows) + 1, f"{c}:{t[13]}", c, *t))
    cols = ", ".join(_OBLIGATION_COLS)
    marks = ", ".join("?" for _ in _OBLIGATION_COLS)
    con.executemany(f"INSERT INTO obligations ({cols}) VALUES ({marks})", rows)


def write_deliverables(out_dir: Path, individual_ids: list[str]) -> None:
    """A few synthetic files under out/ (letters named by individual id, a mail file)."""
    letters = out_dir / "letters"
    letters.mkdir(parents=True, exist_ok=True)
    for iid in individual_ids:
        (letters / f"letter_{iid}.pdf").write_bytes(b"%PDF-1.4\n% synthetic letter\n")
    (out_dir / "individuals.csv").write_text("individual_id,state\n", encoding="utf-8")
    (out_dir / "mail_file.csv").write_text("individual_id,zip\n", encoding="utf-8")
    (out_dir / "deadlines.ics").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n", encoding="utf-8")
    pk = out_dir / "packages" / "mercy-valley-health"
    pk.mkdir(parents=True, exist_ok=True)
    (pk / "individuals.csv").write_text("individual_id\n", encoding="utf-8")
