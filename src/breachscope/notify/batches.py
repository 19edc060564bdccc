"""All letters of a case: batched PDFs + manifest, the mail file, codes, DOCX models.

Recipients stream from the store; letters are grouped per client into batches of
``notify.batch_size`` and each batch is one PDF, rendered in a process pool when the case
allows more than one worker. Only a few batches are in flight at once, so memory stays flat
however many letters there are.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from breachscope.case import Case
from breachscope.notify.files import PrivateCsv, private_dir, write_private
from breachscope.notify.letters import (
    LetterSetup,
    letter_body,
    letter_context,
    letters_html,
    render_batch,
)
from breachscope.notify.people import iter_recipients
from breachscope.notify.wordfile import html_to_docx
from breachscope.progress import Progress
from breachscope.workers import die_with_parent

MANIFEST_COLUMNS = (
    "letter_id",
    "client_id",
    "batch_file",
    "first_page",
    "last_page",
    "pages",
    "individual_id",
    "variant",
)
MAIL_COLUMNS = (
    "letter_id",
    "client_id",
    "variant",
    "addressee_line",
    "name",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip",
    "minor",
    "deceased",
    "no_deliverable_address",
    "batch_file",
    "first_page",
    "pages",
)
SUBSTITUTE_COLUMNS = ("letter_id", "client_id", "individual_id", "name", "state", "minor", "reason")
CODE_COLUMNS = ("letter_id", "client_id", "individual_id", "months", "code", "required", "citation")


@dataclass
class LetterRun:
    """What writing the letters produced (counts only: no PHI)."""

    letters: int = 0
    pages: int = 0
    batches: int = 0
    undeliverable: int = 0
    substitute: int = 0
    cm_offers: int = 0
    cm_offer_months: int = 0  # sum of months offered
    by_variant: Counter[str] = field(default_factory=Counter)
    by_client: Counter[str] = field(default_factory=Counter)
    pages_by_client: Counter[str] = field(default_factory=Counter)
    rendered: bool = True


def _render_job(contexts: list[dict[str, Any]], path: str) -> list[tuple[int, int]]:
    pdf, pages = render_batch(contexts)
    write_private(Path(path), pdf)
    return pages


def placeholder_context(ctx: dict[str, Any]) -> dict[str, Any]:
    """A letter's context with every personal detail replaced by a bracketed field name."""
    c = copy.deepcopy(ctx)
    name = "[FULL NAME]"
    c["letter_id"] = "[LETTER ID]"
    c["individual_id"] = ""
    c["name"] = name
    c["salutation"] = {
        "minor": f"To the parent or guardian of {name}:",
        "deceased": f"To the family or estate of {name}:",
    }.get(c["addressee"], f"Dear {name}:")
    if c["addressee"] == "deceased":
        c["info_of"], c["your"] = f"some information about {name}", f"{name}'s"
        c["protect_whom"] = f"{name}'s identity"
        if c["cm"]:
            c["cm"]["whom"] = f"{name}'s estate"
    top = [x for x in c["envelope_lines"][:1] if x.startswith("TO THE ")]
    top = [x.split(" OF ", 1)[0] + " OF [FULL NAME]" for x in top]
    c["envelope_lines"] = [*top, "[FULL NAME]", "[ADDRESS LINE 1]", "[CITY STATE ZIP+4]"]
    c["element_words"] = ["[EXPOSED ELEMENTS, IN PLAIN WORDS]"]
    if c["cm"]:
        c["cm"]["code"] = "[ENROLLMENT CODE]"
    return c


def _chunks(
    setup: LetterSetup, con: duckdb.DuckDBPyConnection, size: int
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    batch: list[dict[str, Any]] = []
    client = None
    for r in iter_recipients(con):
        if batch and (r.client_id != client or len(batch) >= size):
            yield client or "", batch
            batch = []
        client = r.client_id
        batch.append(letter_context(setup, r))
    if batch:
        yield client or "", batch


_Job = tuple[
    "Future[list[tuple[int, int]]]",
    list[dict[str, Any]],
    str,
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
]


def _letter_rows(
    ctx: dict[str, Any],
    client_id: str,
    rel: str,
    run: LetterRun,
    manifest_rows: list[tuple[Any, ...]],
    mail_rows: list[tuple[Any, ...]],
) -> None:
    """A letter's manifest and mail-file rows; pages are filled in when its batch is done."""
    m = ctx["mail"]
    manifest_rows.append(
        (ctx["letter_id"], client_id, rel, "", "", "", ctx["individual_id"], ctx["variant"])
    )
    top = ctx["envelope_lines"][0] if ctx["envelope_lines"][0].startswith("TO THE ") else ""
    deliverable = ctx["deliverable"]
    mail_rows.append(
        (
            ctx["letter_id"],
            client_id,
            ctx["variant"],
            top,
            ctx["name"].upper(),
            m["line1"] if deliverable else "",
            m["line2"] if deliverable else "",
            m["city"] if deliverable else "",
            ctx["state"],
            m["zip"] if deliverable else "",
            ctx["is_minor"],
            ctx["is_deceased"],
            not deliverable,
            rel,
            "",
            "",
        )
    )
    run.letters += 1
    run.by_variant[ctx["variant"]] += 1
    run.by_client[client_id] += 1


def _side_rows(
    ctx: dict[str, Any],
    client_id: str,
    run: LetterRun,
    substitute: PrivateCsv,
    codes: PrivateCsv,
) -> None:
    """The substitute-notice and enrolment-code rows of a letter (no page numbers)."""
    if not ctx["deliverable"]:
        run.undeliverable += 1
        if not ctx["is_deceased"]:  # H-3.6: no substitute notice for the deceased
            run.substitute += 1
            substitute.write(
                (
                    ctx["letter_id"],
                    client_id,
                    ctx["individual_id"],
                    ctx["name"],
                    ctx["state"],
                    ctx["is_minor"],
                    "no deliverable mailing address",
                )
            )
    if ctx["cm"]:
        cm = ctx["cm"]
        run.cm_offers += 1
        run.cm_offer_months += int(cm["months"])
        codes.write(
            (
                ctx["letter_id"],
                client_id,
                ctx["individual_id"],
                cm["months"],
                cm["code"],
                cm["required"],
                cm["citation"],
            )
        )


def write_letters(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    setup: LetterSetup,
    out: Path,
    *,
    render_pdf: bool = True,
    progress: Progress | None = None,
) -> LetterRun:
    """Write letters/, mail/ and credit_monitoring/ under ``out``.

    The manifest, mail file, substitute list and codes are streamed to disk: only the
    rows of the batches still rendering are held, so memory does not grow with the case.
    """
    run = LetterRun(rendered=render_pdf)
    letters_dir = private_dir(out / "letters")
    mail_dir = private_dir(out / "mail")
    models: dict[str, dict[str, Any]] = {}
    workers = case.settings.workers or (os.cpu_count() or 1)
    pool: ProcessPoolExecutor | None = None
    pending: list[_Job] = []
    counter: Counter[str] = Counter()

    with (
        PrivateCsv(letters_dir / "manifest.csv", MANIFEST_COLUMNS) as manifest,
        PrivateCsv(mail_dir / "mail_file.csv", MAIL_COLUMNS) as mail,
        PrivateCsv(mail_dir / "substitute_notice.csv", SUBSTITUTE_COLUMNS) as substitute,
        PrivateCsv(
            private_dir(out / "credit_monitoring") / "enrolment_codes.csv", CODE_COLUMNS
        ) as codes,
    ):

        def finish(job: _Job) -> None:
            fut, ctxs, rel, manifest_rows, mail_rows = job
            pages = fut.result()
            for ctx, (a, b), mrow, row in zip(ctxs, pages, manifest_rows, mail_rows, strict=True):
                manifest.write((*mrow[:3], a, b, b - a + 1, *mrow[6:]))
                mail.write((*row[:13], rel, a, b - a + 1))
                run.pages += b - a + 1
                run.pages_by_client[ctx["client_id"]] += b - a + 1

        try:
            for client_id, ctxs in _chunks(setup, con, setup.cfg.batch_size):
                counter[client_id] += 1
                rel = (
                    f"letters/{client_id}/batch-{counter[client_id]:05d}.pdf" if render_pdf else ""
                )
                manifest_rows: list[tuple[Any, ...]] = []
                mail_rows: list[tuple[Any, ...]] = []
                for ctx in ctxs:
                    _letter_rows(ctx, client_id, rel, run, manifest_rows, mail_rows)
                    _side_rows(ctx, client_id, run, substitute, codes)
                    if ctx["variant"] not in models:  # one model letter per variant
                        models[ctx["variant"]] = placeholder_context(ctx)
                if render_pdf:
                    path = str(private_dir(letters_dir / client_id) / Path(rel).name)
                    if workers > 1 and pool is None:
                        pool = ProcessPoolExecutor(
                            max_workers=workers,
                            mp_context=multiprocessing.get_context("spawn"),
                            initializer=die_with_parent,
                            initargs=(os.getpid(),),
                        )
                    if pool is not None:
                        fut = pool.submit(_render_job, ctxs, path)
                    else:
                        fut = Future()
                        fut.set_result(_render_job(ctxs, path))
                    pending.append((fut, ctxs, rel, manifest_rows, mail_rows))
                    run.batches += 1
                    while len(pending) > 2 * workers or (pool is None and pending):
                        finish(pending.pop(0))
                else:
                    for row in manifest_rows:
                        manifest.write(row)
                    for row in mail_rows:
                        mail.write(row)
                if progress:
                    progress.advance(len(ctxs))
            for job in pending:
                finish(job)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    docx_dir = private_dir(letters_dir / "models")
    for variant, ctx in sorted(models.items()):
        body = letter_body(ctx)
        write_private(docx_dir / f"{variant}.docx", html_to_docx(body))
        write_private(docx_dir / f"{variant}.html", letters_html([body]))
    if setup.cfg.docx_per_letter:
        per = private_dir(letters_dir / "docx")
        for _client, ctxs in _chunks(setup, con, setup.cfg.batch_size):
            for ctx in ctxs:
                write_private(per / f"{ctx['letter_id']}.docx", html_to_docx(letter_body(ctx)))
    return run
