"""The Hyperscan candidate scan finds exactly what the re2 and plain ``re`` paths find."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest

from breachscope.detect import text as text_mod
from breachscope.detect.findings import Finding
from breachscope.detect.text_patterns import CombinedScanner
from test_detect_text import CHART, LETTER, TWO_PATIENTS

T = dt.date(2025, 3, 1)

EXTRA = """From: Alice Wong <alice.wong@clinic-mail.org>
To: billing@example.com
Re: Claim for PEREZ, MARIA L (DOB 11-02-1948), Policy # ZXP44501823
Member: Maria L. Perez, 1180 N. Maple Avenue, Unit 4B, Tucson, AZ 85719
Card on file: 4111 1111 1111 1111, routing 011000015 account 12345678901
Driver's License: D1234567 (CA)   Passport No. 483920117
Phone +44 20 7946 0958 / 602.555.0143; fax (520) 555-0101
Dx: J44.1 COPD exacerbation, F32.9 depression; Rx: albuterol inhaler, sertraline 50 mg
Deceased on 02/03/2024. PO Box 1234, Phoenix, AZ 85001
Thanks,
Bob Jones
Prepared by: Kim Lee, billing specialist
"""

SPANISH = """FORMULARIO DE REGISTRO DEL PACIENTE
Nombre del paciente: María Elena Gutiérrez   Fecha de nacimiento: 14/03/1962
Apellidos: Ramírez Ortega   Nombre: José Luis   F. nac. 02/11/1958
Teléfono: (773) 555-0198   Número de póliza: XKJ448812   Expediente: 00123456
MÉDICO: DR. ROBERTO SALINAS   Médico tratante: Elena Prieto
Historia clínica: MR-4471023   Fecha de defunción: 05/06/2023
"""

_NOISE = ["Ünïcödé façade", "Kelvin", "naïve café 12", "—", "東京", "SSN 078-05-1120", "x" * 40,
          "MRN:0042", "12 mg", "Street", "ROBERT O'NEIL-SMITH", "St. Louis, MO 63101"]  # fmt: skip


def _documents() -> Iterator[str]:
    base = [CHART, LETTER, TWO_PATIENTS, EXTRA, SPANISH]
    yield from base
    rng = random.Random(4)
    lines = [ln for b in base for ln in b.splitlines()]
    for _ in range(40):
        picked = rng.sample(lines, rng.randint(3, 25))
        out = []
        for ln in picked:
            r = rng.random()
            if r < 0.15:
                ln = ln.upper()
            elif r < 0.25:
                ln = ln.lower()
            elif r < 0.4:
                ln = f"{rng.choice(_NOISE)} {ln} {rng.choice(_NOISE)}"
            out.append(ln)
        yield rng.choice(["\n", "\n\n", "  ", "\r\n"]).join(out)


def _run(engine: str, text: str, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    scan = _SCANNERS[engine]
    monkeypatch.setattr(text_mod, "scanner", lambda: scan)
    return text_mod.detect_text(text, today=T)


_SCANNERS: dict[str, CombinedScanner] = {}


@pytest.fixture(scope="module", autouse=True)
def _scanners() -> None:
    pytest.importorskip("hyperscan")
    for eng in ("hyperscan", "re2", "re"):
        try:
            _SCANNERS[eng] = CombinedScanner(eng)
        except Exception:  # re2 missing
            continue


def test_hyperscan_is_the_engine_when_installed() -> None:
    assert _SCANNERS["hyperscan"].engine == "hyperscan"


def test_findings_identical_with_and_without_hyperscan(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 0
    for doc in _documents():
        want = _run("re2" if "re2" in _SCANNERS else "re", doc, monkeypatch)
        got = _run("hyperscan", doc, monkeypatch)
        assert got == want, doc[:200]
        n += len(got)
    assert n > 200


@pytest.mark.parametrize("with_re2", [True, False])
def test_matches_identical_to_plain_re(with_re2: bool) -> None:
    hs, plain = _SCANNERS["hyperscan"], _SCANNERS["re"]
    if not with_re2:  # Hyperscan then ``re`` (google-re2 not installed)
        hs = CombinedScanner("hyperscan")
        hs._fast = None
    for doc in _documents():
        view = hs.prepare(doc)
        pos = 0
        while True:
            a = hs.search(doc, view, pos)
            b = plain.search(doc, None, pos)
            assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup))
            if a is None:
                break
            pos = a.start() + 1


def test_engine_chosen_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BREACHSCOPE_HYPERSCAN", "0")
    assert CombinedScanner().engine in ("re2", "re")
    monkeypatch.setenv("BREACHSCOPE_HYPERSCAN", "1")
    assert CombinedScanner().engine == "hyperscan"
