"""The command line: a thin wrapper over the library.

Library errors become one clear line and exit code 2. Unexpected errors print their type
only (their message may quote evidence); ``--debug`` adds the traceback's frames, still
without exception messages, so no PHI reaches the terminal.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from breachscope import __version__
from breachscope.errors import BreachscopeError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_USER = 2
EXIT_INTERNAL = 3


class _State:
    debug = False


def _fail(exc: BaseException) -> None:
    if isinstance(exc, BreachscopeError):
        click.secho(f"error: {exc.message}", fg="red", err=True)
        if exc.hint:
            click.echo(f"hint: {exc.hint}", err=True)
        sys.exit(EXIT_USER)
    click.secho(f"internal error: {type(exc).__name__}", fg="red", err=True)
    if _State.debug:
        # Frames only: the exception text may contain evidence content.
        click.echo("".join(traceback.format_tb(exc.__traceback__)), err=True)
    else:
        click.echo(
            "run again with --debug for the traceback (it never shows data values)", err=True
        )
    sys.exit(EXIT_INTERNAL)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BaseException as exc:
            _fail(exc)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="breachscope")
@click.option("--debug", is_flag=True, help="Debug logging and tracebacks (never data values).")
@click.option("-v", "--verbose", is_flag=True, help="Log each stage's progress.")
def cli(debug: bool, verbose: bool) -> None:
    """breachscope: from copied files to who was affected, what the law requires, and every notice."""
    _State.debug = debug
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def _case_arg() -> Callable[[F], F]:
    deco: Callable[[F], F] = click.argument(
        "case_path", metavar="CASE", type=click.Path(path_type=Path)
    )
    return deco


def _progress(quiet: bool) -> Any:
    from breachscope.cli_progress import RichProgress

    return None if quiet else RichProgress()


@cli.command()
@_case_arg()
def check(case_path: Path) -> None:
    """Validate a case file (every problem listed with its line) without running anything."""
    from breachscope.case import load_case

    case = load_case(case_path)
    click.echo(f"ok: {case.path.name}: {len(case.clients)} client(s), evidence at {case.evidence}")


@cli.command()
@_case_arg()
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option("--stages", default="", help="Comma-separated subset of stages to run, in order.")
def run(case_path: Path, quiet: bool, stages: str) -> None:
    """Run the whole pipeline: ingest, detect, link, resolve, assess, notify."""
    from breachscope.case import load_case
    from breachscope.pipeline import STAGE_NAMES, run_all

    case = load_case(case_path)
    chosen = tuple(s.strip() for s in stages.split(",") if s.strip()) or STAGE_NAMES
    for s in chosen:
        if s not in STAGE_NAMES:
            raise click.BadParameter(f"unknown stage '{s}'", param_hint="--stages")
    results = run_all(case, stages=chosen, progress=_progress(quiet))
    _print_summary(case)
    changes = results.get("changes")
    if changes and not changes.get("first_run"):
        click.echo(
            f"  changes:     {changes['new_files']} new file(s), "
            f"{changes['new_individuals']} new individual(s), "
            f"{changes['individuals_with_new_elements']} with new elements, "
            f"{changes['changed_obligations']} changed obligation(s) (out/changes.json)"
        )


def _stage_command(name: str, help_text: str) -> None:
    @cli.command(name=name, help=help_text)
    @_case_arg()
    @click.option("--quiet", is_flag=True, help="No progress bars.")
    def _cmd(case_path: Path, quiet: bool) -> None:
        from breachscope.case import load_case
        from breachscope.pipeline import run_stage

        case = load_case(case_path)
        result = run_stage(case, name, progress=_progress(quiet))
        click.echo(f"{name}: " + ", ".join(f"{k} {v}" for k, v in result.items()))


for _name, _help in (
    ("ingest", "Inventory the evidence; extract text and tables."),
    ("detect", "Find personal and health information in the extracted content."),
    ("link", "Group findings into person mentions, one per data subject per document."),
    ("resolve", "De-duplicate mentions into individuals with a best record each."),
    ("notify", "Write the deliverables to out/."),
):
    _stage_command(_name, _help)


@cli.command()
@click.argument("case_path", metavar="[CASE]", required=False, type=click.Path(path_type=Path))
@click.option(
    "--scenario",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="What-if scenario TOML instead of a case.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the obligations as JSON.")
def assess(case_path: Path | None, scenario: Path | None, as_json: bool) -> None:
    """Work out the legal obligations: for a case, or for a what-if scenario."""
    if scenario is not None:
        from breachscope.assess import assess_scenario

        records = assess_scenario(scenario)
        if as_json:
            click.echo(json.dumps(records, indent=2, default=str))
        else:
            for r in records:
                click.echo(
                    f"{r.get('regime')}\t{r.get('recipient')}\t{r.get('due') or r.get('due_text')}\t{r.get('citation')}"
                )
        return
    if case_path is None:
        raise click.UsageError("give a CASE or --scenario FILE")
    from breachscope.case import load_case
    from breachscope.pipeline import run_stage

    case = load_case(case_path)
    result = run_stage(case, "assess")
    click.echo("assess: " + ", ".join(f"{k} {v}" for k, v in result.items()))


@cli.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--people", default=2000, show_default=True, help="How many people to generate.")
@click.option("--seed", default=0, show_default=True, help="Random seed (same seed, same case).")
@click.option(
    "--scope",
    is_flag=True,
    help="The intruder touched part of the evidence: write access logs and a [scope] table.",
)
def synth(out: Path, people: int, seed: int, scope: bool) -> None:
    """Generate a synthetic breach case (evidence + ground truth) for demos and tests."""
    from breachscope.synth import generate_case

    path = generate_case(out, people=people, seed=seed, scope=scope)
    click.echo(f"synthetic case written: {path}")


@cli.command()
@_case_arg()
@click.option(
    "--truth",
    type=click.Path(path_type=Path),
    default=None,
    help="Ground-truth folder (default: truth/ beside the case file).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(case_path: Path, truth: Path | None, as_json: bool) -> None:
    """Score a run against the synthetic generator's ground truth."""
    from breachscope.case import load_case
    from breachscope.evaluate import evaluate_case, format_report

    case = load_case(case_path)
    report = evaluate_case(case, truth)
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else format_report(report))


def _print_summary(case: Any) -> None:
    from breachscope.store import open_case_store
    from breachscope.summary import case_summary

    con = open_case_store(case, read_only=True)
    try:
        s = case_summary(con)
    finally:
        con.close()
    files = ", ".join(f"{v} {k}" for k, v in s.files.items()) or "none"
    click.echo("")
    click.secho(f"Summary — {case.incident.name}", bold=True)
    click.echo(f"  files:       {files}")
    if s.failed_reasons:
        click.echo("  not processed: " + ", ".join(f"{k} {v}" for k, v in s.failed_reasons.items()))
    click.echo(f"  documents:   {s.documents}   findings: {s.findings}   mentions: {s.mentions}")
    click.echo(
        f"  individuals: {s.individuals}   (minors {s.minors}, deceased {s.deceased}, to review {s.review})"
    )
    click.echo("  by client:   " + ", ".join(f"{k} {v}" for k, v in s.by_client.items()))
    click.echo(
        "  by state:    "
        + ", ".join(f"{k} {v}" for k, v in list(s.by_state.items())[:15])
        + (" …" if len(s.by_state) > 15 else "")
    )
    click.echo(f"  outputs:     {case.out_dir}/ (individuals.csv, files.csv, …)")


@cli.command()
@_case_arg()
@click.option(
    "--individual", "individual_id", required=True, help="Individual id (from out/individuals.csv)."
)
@click.option(
    "--all", "show_all", is_flag=True, help="Every finding, not the first five per element."
)
def explain(case_path: Path, individual_id: str, show_all: bool) -> None:
    """Why a person is on the list: each exposed element with its file, locator and reason."""
    from breachscope.case import load_case
    from breachscope.explain import explain_individual, format_explanation
    from breachscope.store import open_case_store

    case = load_case(case_path)
    con = open_case_store(case, read_only=True)
    try:
        e = explain_individual(con, individual_id)
    finally:
        con.close()
    click.echo(format_explanation(e, per_element=10**9 if show_all else 5))


@cli.command()
@_case_arg()
@click.option(
    "--merge",
    "merge",
    nargs=2,
    metavar="MENTION MENTION",
    help="These two mentions are one person.",
)
@click.option(
    "--split",
    "split",
    nargs=2,
    metavar="MENTION MENTION",
    help="These two mentions are different people.",
)
@click.option(
    "--confirm",
    "confirm",
    metavar="MENTION",
    help="The individual holding this mention is right as it is.",
)
@click.option(
    "--by", "made_by", default="cli", show_default=True, help="Reviewer name for the record."
)
@click.option("--note", default="", help="Why (kept with the decision).")
@click.option("--limit", default=25, show_default=True, help="Queue items to list.")
@click.option(
    "--apply", "apply_now", is_flag=True, help="Re-run resolve and notify after deciding."
)
def review(
    case_path: Path,
    merge: tuple[str, str] | None,
    split: tuple[str, str] | None,
    confirm: str | None,
    made_by: str,
    note: str,
    limit: int,
    apply_now: bool,
) -> None:
    """List the review queue, or record a merge / split / confirm (kept across re-runs)."""
    from breachscope.case import load_case
    from breachscope.review import decide, review_queue
    from breachscope.store import open_case_store

    case = load_case(case_path)
    decided: list[tuple[str, str, str | None]] = [("merge", *merge)] if merge else []
    decided += [("split", *split)] if split else []
    decided += [("confirm", confirm, None)] if confirm else []
    con = open_case_store(case, read_only=not decided)
    try:
        for kind, a, b in decided:
            decide(con, kind, a, b, made_by=made_by, note=note)
            click.echo(f"recorded: {kind} {a}{' ' + b if b else ''}")
        if not decided:
            items = review_queue(con, limit)
            if not items:
                click.echo("the review queue is empty")
            for it in items:
                score = f"{it['score']:.3f}" if it["score"] is not None else "  -  "
                click.echo(f"{it['kind']:<7} {score}  {it['reason']}")
                for side in ("a", "b"):
                    if it[f"mention_{side}"]:
                        row = f", row {it[side + '_row']}" if it[side + "_row"] is not None else ""
                        # Ids, files and locators only: a terminal's scrollback is not
                        # access-controlled. Names and values are on the web app's Review page.
                        click.echo(
                            f"   {it['mention_' + side]}"
                            f"  {it[side + '_path']} [{it[side + '_locator']}{row}]"
                        )
            if items:
                click.echo("names and values: the Review page of 'breachscope serve CASE'")
    finally:
        con.close()
    if decided and apply_now:
        from breachscope.pipeline import run_all

        run_all(case, stages=("resolve", "assess", "notify"), progress=None)
        click.echo("resolve, assess and notify re-run with the decisions applied")
    elif decided:
        click.echo("decisions are applied the next time resolve runs ('breachscope run CASE')")


@cli.command()
@_case_arg()
def init(case_path: Path) -> None:
    """Create the case store and its encryption key (0600) before the first run."""
    from breachscope.case import load_case
    from breachscope.store import open_case_store
    from breachscope.store.keys import ENV_KEY, ENV_KEY_FILE, default_key_path

    case = load_case(case_path)
    existed = case.store_path.exists()
    open_case_store(case).close()
    if not case.settings.encrypt:
        click.echo(f"store ready (not encrypted: settings.encrypt = false): {case.store_path}")
        return
    import os

    where = (
        f"${ENV_KEY}"
        if os.environ.get(ENV_KEY)
        else os.environ.get(ENV_KEY_FILE)
        or case.settings.key_file
        or str(default_key_path(case.store_path))
    )
    click.echo(f"store {'already existed' if existed else 'created'}: {case.store_path}")
    click.echo(f"encryption key: {where} (keep it apart from the case folder; back it up safely)")


def _register_web() -> None:
    from breachscope.web.commands import serve, user

    cli.add_command(serve)
    cli.add_command(user)


_register_web()


def main() -> None:
    cli(prog_name="breachscope")


if __name__ == "__main__":  # pragma: no cover
    main()
