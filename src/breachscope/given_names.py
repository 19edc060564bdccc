"""The ``nicknames`` package's table (Bob ↔ Robert), loaded once per process.

Linking (a nickname names the same person within a file), resolve (nickname keys across
files) and the generator (nicknames to write) all read it; loading it takes a few
hundred milliseconds, so it is loaded on first use.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nicknames import NickNamer


@cache
def nicknamer() -> NickNamer:
    from nicknames import NickNamer

    return NickNamer()
