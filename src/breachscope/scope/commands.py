"""Recognising command lines that copy data: archive creation and transfer out.

Used by the Windows process-creation (4688) and auditd EXECVE parsers. Returns the
*source* paths (what was read), never the destination archive or remote.
"""

from __future__ import annotations

import re
import shlex

ARCHIVERS = {"7z", "7za", "7zr", "7zg", "zip", "tar", "bsdtar", "rar", "winrar", "gzip", "xz"}
TRANSFERS = {"scp", "rsync", "rclone", "curl", "aws", "gsutil", "azcopy", "pscp", "robocopy"}
ARCHIVER_PROCESSES = {"7z", "7za", "7zg", "7zfm", "winrar", "rar", "zip", "tar", "winzip64"}


def program_name(path: str) -> str:
    """``C:\\Program Files\\7-Zip\\7z.exe`` → ``7z``; ``/usr/bin/tar`` → ``tar``."""
    base = re.split(r"[\\/]", path.strip().strip('"'))[-1].lower()
    return base[:-4] if base.endswith(".exe") else base


def split_command(line: str) -> list[str]:
    """Split a command line; Windows backslashes survive, unbalanced quotes do not fail."""
    lex = shlex.shlex(line, posix=True)
    lex.whitespace_split = True
    lex.escape = ""  # backslash is a path separator on Windows
    lex.commenters = ""
    try:
        return list(lex)
    except ValueError:
        return line.split()


def copied_from_command_line(line: str) -> tuple[str, list[str]]:
    """(tool, source paths) for a raw command line; ('', []) when it copies nothing."""
    if "compress-archive" in line.lower():
        return _compress_archive_line(line)
    return copied_sources(split_command(line))


def copied_sources(argv: list[str]) -> tuple[str, list[str]]:
    """(tool, source paths) when ``argv`` archives or sends files out; ('', []) otherwise."""
    if not argv:
        return "", []
    prog = program_name(argv[0])
    if any(a.lower() == "compress-archive" for a in argv):
        return _compress_archive_line(" ".join(shlex.quote(a) for a in argv))
    if prog in ("cmd",) and len(argv) > 2:
        return copied_sources(argv[2:])
    if prog in ("7z", "7za", "7zr", "7zg", "rar", "winrar"):
        rest = [a for a in argv[1:] if not a.startswith("-")]
        if len(rest) >= 3 and rest[0].lower() in ("a", "u"):
            return prog, rest[2:]
        return "", []
    if prog == "zip":
        rest = [a for a in argv[1:] if not a.startswith("-")]
        return (prog, rest[1:]) if len(rest) >= 2 else ("", [])
    if prog in ("tar", "bsdtar"):
        return _tar(prog, argv[1:])
    if prog in ("gzip", "xz"):
        rest = [a for a in argv[1:] if not a.startswith("-")]
        keep = any(a in ("-k", "--keep", "-c", "--stdout") for a in argv[1:])
        return (prog, rest) if keep and rest else ("", [])
    if prog in ("scp", "pscp", "rsync"):
        rest = [a for a in argv[1:] if not a.startswith("-")]
        if len(rest) >= 2 and ":" in rest[-1] and not re.match(r"^[A-Za-z]:", rest[-1]):
            return prog, [a for a in rest[:-1] if ":" not in a or re.match(r"^[A-Za-z]:", a)]
        return "", []
    if prog == "curl":
        for i, a in enumerate(argv[1:], start=1):
            if a in ("-T", "--upload-file") and i + 1 < len(argv):
                return prog, [argv[i + 1]]
            if a.startswith("-F") or a == "--form":
                val = a[2:] if len(a) > 2 else (argv[i + 1] if i + 1 < len(argv) else "")
                if "=@" in val:
                    return prog, [val.split("=@", 1)[1].split(";", 1)[0]]
        return "", []
    if prog in ("aws", "gsutil", "rclone", "azcopy"):
        rest = [a for a in argv[1:] if not a.startswith("-")]
        verbs = {"cp", "sync", "copy", "mv"}
        for i, a in enumerate(rest):
            if a in verbs and len(rest) >= i + 3:
                src, dst = rest[i + 1], rest[-1]
                if "://" in dst or ":" in dst.split("/", 1)[0]:
                    return prog, [src]
        return "", []
    return "", []


def _tar(prog: str, args: list[str]) -> tuple[str, list[str]]:
    if not args:
        return "", []
    first = args[0]
    mode = first.lstrip("-") if not first.startswith("--") else ""
    creating = ("c" in mode and not first.startswith("--")) or any(
        a in ("--create", "-c") for a in args
    )
    if not creating:
        return "", []
    sources: list[str] = []
    skip_next = "f" in mode  # 'czf out.tgz' — the archive name follows the mode letters
    base = ""
    i = 1
    while i < len(args):
        a = args[i]
        if skip_next:
            skip_next = False
        elif a in ("-C", "--directory") and i + 1 < len(args):
            base = args[i + 1].rstrip("/") + "/"
            i += 1
        elif a in ("-f", "--file", "--exclude", "-T"):
            skip_next = True
        elif a.startswith("-"):
            if re.fullmatch(r"-[a-zA-Z]*f", a):
                skip_next = True
        else:
            sources.append(a if a.startswith("/") or not base else base + a)
        i += 1
    return (prog, sources) if sources else ("", [])


_PATH_ARG = re.compile(
    r"-(?:Literal)?Path\s+((?:(?:'[^']*'|\"[^\"]*\"|[^\s,;'\"]+)\s*,\s*)*(?:'[^']*'|\"[^\"]*\"|[^\s,;'\"]+))",
    flags=re.IGNORECASE,
)
_ITEM = re.compile(r"'([^']*)'|\"([^\"]*)\"|([^\s,;'\"]+)")


def _compress_archive_line(line: str) -> tuple[str, list[str]]:
    m = _PATH_ARG.search(line)
    if not m:
        return "", []
    items = [a or b or c for a, b, c in _ITEM.findall(m.group(1))]
    return "Compress-Archive", [p for p in items if p]
