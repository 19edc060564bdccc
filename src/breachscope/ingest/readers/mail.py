"""E-mail (``.eml``, RFC 822 / MIME) with the stdlib ``email`` package.

Documents: ``headers`` (From, To, Cc, Bcc, Reply-To, Sender, Date, Subject, with encoded
words decoded) and ``body`` (the text/plain parts; the HTML part as text when a message
has no plain one; ``body 2`` ... for further bodies). Attachments, inline images and
forwarded messages (``message/rfc822``, as ``.eml``) become members of their own,
``mail.eml!name.csv``, read like any file (a ZIP inside an e-mail inside a ZIP works).
An S/MIME-encrypted part is recorded as ``failed`` ``encrypted``.
"""

from __future__ import annotations

import mimetypes
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import Any

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FAILED, FileSkipped
from breachscope.ingest.readers.members import MemberSink
from breachscope.ingest.readers.text import clean_text
from breachscope.ingest.registry import ReadContext, Source

HEADERS = ("From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Date", "Subject")
ENCRYPTED_TYPES = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})


def attachment_name(name: str | None, n: int, content_type: str) -> str:
    """A member name for an attachment: its file name without folders, or a made-up one."""
    if name:
        base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().strip(".")
        base = "".join(c for c in base if c >= " " and c != "!")
        if base:
            return base[:200]
    ext = mimetypes.guess_extension(content_type) or ".bin"
    return f"attachment-{n}{ext}"


def header_text(get: Any) -> str:
    lines: list[str] = []
    for h in HEADERS:
        try:
            values = get(h)
        except Exception:  # a malformed header must not lose the message
            continue
        for v in values or ():
            v = " ".join(str(v).split())
            if v:
                lines.append(f"{h}: {v}")
    return clean_text("\n".join(lines))


def _text_of(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, ValueError, AssertionError, KeyError):
        pass
    raw = part.get_payload(decode=True)
    if isinstance(raw, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return raw.decode(charset, "replace")
        except LookupError:
            return raw.decode("cp1252", "replace")
    return ""


def _is_attachment(part: Message) -> bool:
    disp = part.get_content_disposition()
    return disp == "attachment" or (disp == "inline" and part.get_filename() is not None)


def read_eml(src: Source, ctx: ReadContext, out: Emitter) -> None:
    from breachscope.ingest.readers.html import html_to_text

    with src.path.open("rb") as fh:
        try:
            msg = BytesParser(policy=policy.default).parse(fh)
        except (ValueError, LookupError, UnicodeError, IndexError):
            raise FileProblem("corrupt", "unreadable e-mail message") from None
    assert isinstance(msg, EmailMessage)
    head = header_text(msg.get_all)
    if head:
        out.text("headers", head)
    sink = MemberSink(src, ctx, out, src.size)
    plain: list[str] = []
    html: list[str] = []
    n_att = 0
    forwarded = _forwarded_parts(msg)
    for part in msg.walk():
        if id(part) in forwarded:
            continue  # a forwarded message's own parts are read with it, as a member
        ctype = part.get_content_type()
        if part.is_multipart() and ctype != "message/rfc822":
            continue
        if ctype == "message/rfc822":
            n_att += 1
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            data = first.as_bytes() if isinstance(first, Message) else b""
            name = attachment_name(part.get_filename(), n_att, "message/rfc822")
            sink.add_bytes(name if name.endswith(".eml") else name + ".eml", data)
            continue
        if ctype in ENCRYPTED_TYPES and part.get_param("smime-type") != "signed-data":
            n_att += 1
            sink.count_one()
            path = sink.path_of(attachment_name(part.get_filename(), n_att, ctype))
            sink.decided(path, 0, FAILED, "encrypted")
            continue
        if _is_attachment(part) or part.get_content_maintype() not in ("text", "multipart"):
            n_att += 1
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                sink.add_bytes(attachment_name(part.get_filename(), n_att, ctype), payload)
            continue
        if ctype == "text/html":
            html.append(html_to_text(_text_of(part)))
        else:
            plain.append(_text_of(part))
    bodies = [clean_text(b) for b in (plain or html) if b.strip()]
    for i, body in enumerate(bodies, 1):
        out.text("body" if i == 1 else f"body {i}", body)
    if not head and not bodies and not sink.count:
        raise FileSkipped("empty")


def _forwarded_parts(msg: Message) -> set[int]:
    """Ids of the parts inside forwarded messages (``walk`` descends into them)."""
    ids: set[int] = set()
    for p in msg.walk():
        if p.get_content_type() == "message/rfc822" and id(p) not in ids:
            inner = p.get_payload()
            if isinstance(inner, list):
                for m in inner:
                    if isinstance(m, Message):
                        ids.update(id(q) for q in m.walk())
    return ids
