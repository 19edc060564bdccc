"""Templates and PDF: one Jinja environment (StrictUndefined, autoescaped) and WeasyPrint."""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache
from importlib import resources
from typing import Any

import jinja2

# WeasyPrint and fontTools log at INFO/WARNING about fonts and CSS; none of it is PHI, but
# it is noise in the CLI.
for _name in ("weasyprint", "fontTools", "fontTools.subset"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def long_date(value: dt.date | None, unknown: str = "a date not yet known") -> str:
    """'February 6, 2025'."""
    if value is None:
        return unknown
    return f"{value:%B} {value.day}, {value.year}"


def period(text: str) -> str:
    """End a sentence after a name that may already end in a full stop ('Inc.')."""
    return text if text.endswith(".") else f"{text}."


def thousands(value: int | float) -> str:
    return f"{value:,.0f}"


def money(value: float) -> str:
    return f"${value:,.2f}"


def join_words(items: list[str] | tuple[str, ...], last: str = "and") -> str:
    """'a', 'a and b', 'a, b, and c' (serial comma, as US letters write it)."""
    xs = [str(x) for x in items]
    if len(xs) <= 1:
        return "".join(xs)
    if len(xs) == 2:
        return f"{xs[0]} {last} {xs[1]}"
    return f"{', '.join(xs[:-1])}, {last} {xs[-1]}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("breachscope", "templates"),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one run, one wording: templates never change mid-run
    )
    env.filters["longdate"] = long_date
    env.filters["thousands"] = thousands
    env.filters["period"] = period
    env.filters["money"] = money
    env.filters["join_words"] = join_words
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


@cache
def stylesheet(name: str) -> str:
    """A CSS file from the templates folder, inlined into documents."""
    return (resources.files("breachscope") / "templates" / "notify" / name).read_text("utf-8")


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes (WeasyPrint imported lazily: it is heavy)."""
    from weasyprint import HTML

    out = HTML(string=html).write_pdf()
    assert out is not None
    return bytes(out)


def render_document(html: str) -> Any:
    """A laid-out WeasyPrint document (for page-to-letter mapping before writing)."""
    from weasyprint import HTML

    return HTML(string=html).render()
