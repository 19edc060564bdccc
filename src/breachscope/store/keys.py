"""Where the case store's encryption key comes from.

In order: the ``BREACHSCOPE_KEY`` environment variable (the key itself), the
``BREACHSCOPE_KEY_FILE`` environment variable (a path), ``settings.key_file`` in the case
file, else a per-case key file under ``~/.config/breachscope/keys/`` created on first use
with 0600 permissions. The key never goes into the case folder, the case file, logs or
outputs; a key file must not be readable by group or others.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from pathlib import Path

from breachscope.errors import StoreError

ENV_KEY = "BREACHSCOPE_KEY"
ENV_KEY_FILE = "BREACHSCOPE_KEY_FILE"
ENV_KEY_DIR = "BREACHSCOPE_KEY_DIR"


def default_key_path(store_path: Path) -> Path:
    base = Path(os.environ.get(ENV_KEY_DIR) or Path.home() / ".config" / "breachscope" / "keys")
    tag = hashlib.sha256(str(store_path.resolve()).encode()).hexdigest()[:24]
    return base / f"{tag}.key"


def read_key_file(path: Path) -> str:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise StoreError(
            f"key file {path} not found", hint="run 'breachscope init CASE' or set BREACHSCOPE_KEY"
        ) from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise StoreError(f"key file {path} is readable by others", hint=f"chmod 600 {path}")
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 16:
        raise StoreError(
            f"key file {path} holds no usable key", hint="a key has at least 16 characters"
        )
    return key


def create_key_file(path: Path) -> str:
    """Create a new random key file (0600) in a 0700 folder. Refuses to overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def resolve_key(store_path: Path, key_file: str | None = None, *, create: bool = False) -> str:
    """The key for a store; ``create`` makes a new key file when none exists yet."""
    env = os.environ.get(ENV_KEY)
    if env:
        return env
    env_file = os.environ.get(ENV_KEY_FILE)
    if env_file:
        return read_key_file(Path(env_file))
    path = Path(key_file).expanduser() if key_file else default_key_path(store_path)
    if not path.exists() and create:
        if store_path.exists():
            raise StoreError(
                f"the case store {store_path.name} exists but its key is missing",
                hint="set BREACHSCOPE_KEY or BREACHSCOPE_KEY_FILE to the key it was made with",
            )
        return create_key_file(path)
    return read_key_file(path)
