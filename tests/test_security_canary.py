"""PHI canaries: unique values planted in a case must never leave the data they live in.

The full pipeline (CLI in-process and as a real process with real logging handlers) and
the web app run at debug level on a case seeded with canary values; none may appear in
logs, exception messages, tracebacks, progress output, stage records or error pages. The
store file's bytes hold none of them (encrypted), and out/ is 0600 files in 0700 folders.
"""

from __future__ import annotations

import functools
import logging
import os
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from breachscope.case import load_case
from breachscope.cli import cli
from breachscope.ingest.registry import Source
from breachscope.store import open_case_store
from case_text import case_toml

pytestmark = pytest.mark.slow

SURNAME = "Zqxcanarywong"
FIRST = "Quorvina"
SSN = "531-87-2946"
MRN = "ZQ77319428"
EMAIL = "zqx.canarywong@canarymail.example"
CANARIES = (SURNAME, SSN, SSN.replace("-", ""), MRN, EMAIL)

CASE = case_toml("Canary incident", plan=True)


def leaks(text: str) -> list[str]:
    """The canaries found in a text (case-insensitive: names are upper-cased on the way)."""
    low = text.lower()
    return [c for c in CANARIES if c.lower() in low]


def _pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=letter)
    lines = [
        "North Clinic - Visit Summary",
        f"Patient: {FIRST} {SURNAME}",
        "Date of birth: 04/19/1958",
        f"SSN: {SSN}",
        f"MRN: {MRN}",
        f"Email: {EMAIL}",
        "Diagnosis: type 2 diabetes mellitus",
    ]
    for i, line in enumerate(lines):
        c.drawString(72, 720 - 18 * i, line)
    c.save()


def _docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph(f"Dear {FIRST} {SURNAME},")
    d.add_paragraph(f"Your medical record number {MRN} and SSN {SSN} are on file.")
    d.add_paragraph(f"We will write to {EMAIL}. Date of birth 04/19/1958.")
    d.save(str(path))


def make_case(root: Path) -> Path:
    ev = root / "evidence"
    (ev / "north").mkdir(parents=True)
    (ev / "plan").mkdir(parents=True)
    (ev / "north" / "patients.csv").write_text(
        "Patient Last,Patient First,Birth Date,Soc Sec #,MRN,Email,Street,City,ST,Zip\n"
        f"{SURNAME},{FIRST},04/19/1958,{SSN},{MRN},{EMAIL},14 Alder Way,Tacoma,WA,98402\n"
        "Okafor,Chidi,1990-07-02,,A1002,,77 Birch Rd,Boise,ID,83702\n",
        encoding="utf-8",
    )
    (ev / "plan" / "members.txt").write_text(
        "MEMBER_NAME|DOB|MEMBER_ID|PLAN\n"
        f"{SURNAME.upper()}, {FIRST.upper()}|19580419|XZB400123456|Blue Lake Gold PPO\n",
        encoding="utf-8",
    )
    _pdf(ev / "north" / "visit.pdf")
    _docx(ev / "north" / "letter.docx")
    # Corrupt files whose bytes carry the canaries: a reader's error text could quote them.
    (ev / "north" / "broken.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Title (" + SURNAME.encode() + b") >>\nxref\n0 zz\n" + SSN.encode()
    )
    (ev / "north" / "broken.docx").write_bytes(b"PK\x03\x04" + f"{SURNAME} {SSN}".encode() * 20)
    bad_zip = ev / "north" / "broken.xlsx"
    with zipfile.ZipFile(bad_zip, "w") as z:
        z.writestr("[Content_Types].xml", f"<Types><{SURNAME} {EMAIL}")
        z.writestr("xl/workbook.xml", f"<workbook>{SSN}<")
    (ev / "north" / "notes.json").write_text(
        f'{{"resourceType": "Patient", "name": [{{"family": "{SURNAME}"', encoding="utf-8"
    )
    (ev / "north" / "raise_me.txt").write_text(
        f"Patient {FIRST} {SURNAME} SSN {SSN}\n", encoding="utf-8"
    )
    (ev / "north" / "empty.csv").write_bytes(b"")
    (root / "case.toml").write_text(CASE)
    return root


@pytest.fixture
def canary_case(tmp_path: Path) -> Path:
    return make_case(tmp_path / "case")


def _raising_txt(src: Source, ctx: object, out: object) -> None:
    """A reader that fails with the file's content in its message, as parsers do."""
    if "raise_me" in src.logical:
        raise ValueError(f"cannot parse {src.path.read_text(encoding='utf-8')}")
    from breachscope.ingest.readers.text import read_text

    read_text(src, ctx, out)  # type: ignore[arg-type]


@pytest.fixture
def raising_reader(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from breachscope.ingest import options, run
    from breachscope.ingest.registry import _REGISTERED

    monkeypatch.setitem(_REGISTERED, "txt", _raising_txt)
    # Readers are patched in this process: workers must be forked from it to see that.
    monkeypatch.setattr(
        run, "IngestOptions", functools.partial(options.IngestOptions, start_method="fork")
    )
    yield


def _stage_details(case_dir: Path) -> str:
    case = load_case(case_dir / "case.toml")
    con = open_case_store(case, read_only=True)
    try:
        rows = con.execute("SELECT stage, status, detail FROM stage_runs").fetchall()
        reasons = con.execute("SELECT coalesce(reason, '') FROM files").fetchall()
    finally:
        con.close()
    return "\n".join(" ".join(map(str, r)) for r in rows + reasons)


def _assert_store_and_outputs(case_dir: Path) -> None:
    for f in case_dir.iterdir():
        if f.name.startswith("case.duckdb"):
            raw = f.read_bytes().lower()
            for c in CANARIES:
                assert c.lower().encode() not in raw, f"{c!r} in {f.name}"
    out = case_dir / "out"
    assert out.is_dir()
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    n = 0
    for dirpath, dirnames, filenames in os.walk(out):
        for d in dirnames:
            p = Path(dirpath) / d
            assert stat.S_IMODE(p.stat().st_mode) == 0o700, p
        for name in filenames:
            p = Path(dirpath) / name
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
            n += 1
    assert n > 0


def test_cli_run_in_process(
    canary_case: Path, raising_reader: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    r = CliRunner().invoke(cli, ["--debug", "run", str(canary_case)])
    assert r.exit_code == 0, r.output
    assert "individuals:" in r.output
    text = r.output + caplog.text
    assert leaks(text) == []
    assert leaks(_stage_details(canary_case)) == []
    # The planted reader failure is recorded by its class only.
    assert "ValueError" in _stage_details(canary_case)
    # Canaries made it into the pipeline (otherwise this test proves nothing).
    with (canary_case / "out" / "individuals.csv").open(encoding="utf-8") as fh:
        assert SURNAME.lower() in fh.read().lower()
    _assert_store_and_outputs(canary_case)


def test_crash_in_a_stage_with_debug(
    canary_case: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected exception whose message is PHI: type and frames only, everywhere."""
    import breachscope.link as link

    def boom(*_a: object, **_k: object) -> dict[str, int]:
        raise RuntimeError(f"row for {SURNAME} {SSN} {EMAIL} {MRN}")

    monkeypatch.setattr(link, "run_link", boom)
    caplog.set_level(logging.DEBUG)
    r = CliRunner().invoke(cli, ["--debug", "run", "--quiet", str(canary_case)])
    assert r.exit_code == 3
    assert "internal error: RuntimeError" in r.output
    assert "Traceback" in r.output or "File " in r.output  # frames are shown with --debug
    assert leaks(r.output + caplog.text) == []
    assert leaks(_stage_details(canary_case)) == []


def test_cli_run_as_a_process(canary_case: Path) -> None:
    """Real logging handlers, real worker processes, real progress output."""
    exe = Path(sys.executable).parent / "breachscope"
    env = {**os.environ, "COLUMNS": "120", "FORCE_COLOR": "0"}
    p = subprocess.run(
        [str(exe), "--debug", "run", str(canary_case)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    assert "DEBUG" in p.stderr  # debug logging was on
    assert leaks(p.stdout + p.stderr) == []
    assert leaks(_stage_details(canary_case)) == []
    _assert_store_and_outputs(canary_case)
    # explain and review print ids, files and locators, never values.
    for args in (["review", str(canary_case), "--limit", "50"],):
        q = subprocess.run([str(exe), "--debug", *args], capture_output=True, text=True, env=env)
        assert leaks(q.stdout + q.stderr) == [], args


def test_web_pages_and_errors(
    canary_case: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from breachscope.web import create_app, routes_main
    from breachscope.web.accounts import add_user
    from web_fixtures import PASSWORD, csrf_of, login

    r = CliRunner().invoke(cli, ["run", "--quiet", str(canary_case)])
    assert r.exit_code == 0, r.output
    case = load_case(canary_case / "case.toml")
    con = open_case_store(case)
    try:
        for role in ("admin", "viewer"):
            add_user(con, role, PASSWORD, role)
        row = con.execute(
            "SELECT individual_id FROM individual_mentions im JOIN mentions m USING (mention_id) "
            "WHERE upper(m.last_name) = ? LIMIT 1",
            [SURNAME.upper()],
        ).fetchone()
        assert row, "the canary person was resolved"
        pid = str(row[0])
    finally:
        con.close()

    caplog.set_level(logging.DEBUG)
    app = create_app(case, secret=b"c" * 32)
    with TestClient(app) as client:
        login(client, "admin")
        pages: dict[str, str] = {}
        for url in (
            "/",
            "/files",
            "/people",
            f"/people?q={SURNAME}",
            f"/people/{pid}",
            "/obligations",
            "/deliverables",
            "/audit",
            "/review",
            "/qc",
        ):
            resp = client.get(url)
            assert resp.status_code == 200, url
            pages[url] = resp.text
        # Masked by default: the full SSN is never on a page until revealed.
        for url, html in pages.items():
            assert SSN not in html and SSN.replace("-", "") not in html, url
        token = csrf_of(pages["/"])
        resp = client.post(f"/people/{pid}/reveal", data={"field": "ssn", "csrf_token": token})
        assert resp.status_code in (200, 303, 400, 422)
        errors: dict[str, str] = {}
        resp = client.get("/no-such-page")
        assert resp.status_code == 404
        errors["404"] = resp.text
        resp = client.get("/people/P0000000000000000")
        assert resp.status_code == 404
        errors["404-person"] = resp.text
        resp = client.get("/qc/samples/x/not-a-number")
        assert resp.status_code in (404, 422)
        errors["422"] = resp.text
        resp = client.get(f"/deliverables/download?path=../../{SURNAME}.csv")
        assert resp.status_code in (400, 403, 404, 422)
        errors["download"] = resp.text

        def boom(*_a: object, **_k: object) -> object:
            raise RuntimeError(f"query failed near '{SURNAME}' ssn={SSN} {EMAIL} {MRN}")

        monkeypatch.setattr(routes_main, "case_summary", boom)
        resp = client.get("/")
        assert resp.status_code == 500
        errors["500"] = resp.text
        assert "Something went wrong" in resp.text
    # Viewer: forbidden pages.
    with TestClient(app) as client:
        login(client, "viewer")
        resp = client.post(f"/people/{pid}/reveal", data={"field": "ssn"})
        assert resp.status_code == 403
        errors["403"] = resp.text
    app.state.web.store.close()
    for name, html in errors.items():
        assert leaks(html) == [], name
        assert "Traceback" not in html and "RuntimeError" not in html, name
    # httpx's own lines are the test client's, quoting the URLs this test sent.
    app_log = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")
    assert leaks(app_log) == []
    assert "RuntimeError" in app_log  # the 500 was logged, by type
