"""The desk's audit key: a secret outside the store under which every audit event's chain hash
is an HMAC-SHA256, so someone who can write the store but cannot read this file (a PostgreSQL
user with table rights, a copied store edited and put back) cannot recompute a chain that
`audit verify` accepts. Someone who holds both the store and the key can: the README says so.

The key is a file of 64 hex digits, made at the first write that needs it, owner-only
(0600; on Windows the file is private to its folder's owner), in the config folder as
`audit.key` (`DESKCONSOLE_HOME` moves it with the rest), or wherever `DESKCONSOLE_AUDIT_KEY_FILE`
names. Desks sharing one PostgreSQL store share one key (copy the file). The store records the
key's id, a non-secret fingerprint (an HMAC of a constant under the key), in its chain head, so
a desk holding another key says so instead of writing a chain no one can verify.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deskconsole.services.errors import DeskError

KEY_ENV = "DESKCONSOLE_AUDIT_KEY_FILE"
KEY_FILE = "audit.key"
KEY_BYTES = 32
_ID_LABEL = b"deskconsole audit key id v1"


class AuditKeyError(DeskError):
    """A key file that cannot be read, made, or is not a key: one line naming the file."""

    def __init__(self, detail: str) -> None:
        super().__init__("audit_key.error.file", detail=detail)

    def __str__(self) -> str:
        return str(self.params["detail"])


@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    path: Path

    @property
    def id(self) -> str:
        """The key's public fingerprint: shown, stored in the chain head, never secret."""
        return hmac.digest(self.secret, _ID_LABEL, "sha256").hex()[:16]

    def mac(self, payload: str) -> str:
        """HMAC-SHA256 of `payload` (UTF-8) under the key, as hex (64 digits, as SHA-256)."""
        return hmac.digest(self.secret, payload.encode("utf-8"), "sha256").hex()

    def macs(self) -> Callable[[str], str]:
        """`mac` for a run of many payloads (the demo's seal events): the key's inner and
        outer states are set up once and copied, half the cost of a one-shot HMAC a payload."""
        keyed = hmac.new(self.secret, digestmod="sha256")

        def mac(payload: str) -> str:
            m = keyed.copy()
            m.update(payload.encode("utf-8"))
            return m.hexdigest()
        return mac

    def __repr__(self) -> str:  # never the secret in a log or a traceback
        return f"AuditKey(id={self.id}, path={self.path})"


def key_path(env) -> Path:
    """Where this desk's key is: DESKCONSOLE_AUDIT_KEY_FILE, else audit.key in the config folder."""
    named = env.get(KEY_ENV)
    if named:
        return Path(named).expanduser()
    from deskconsole.config import default_dirs

    return default_dirs(env)[0] / KEY_FILE


def read_key(path: Path) -> AuditKey:
    try:
        text = path.read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
    except OSError as exc:
        raise AuditKeyError(f"cannot read the audit key {path}: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError):
        raise AuditKeyError(f"{path} is not an audit key (expected {KEY_BYTES * 2} hex digits)") from None
    if len(secret) < KEY_BYTES:
        raise AuditKeyError(f"{path} is not an audit key (expected {KEY_BYTES * 2} hex digits)")
    return AuditKey(secret, path)


def create_key(path: Path, *, secret: bytes | None = None) -> AuditKey:
    """Write a new key (or `secret`: a copy), owner-only; if a file is there already (another
    process made it first), read that one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        return read_key(path)
    except OSError as exc:
        raise AuditKeyError(f"cannot create the audit key {path}: {exc.strerror}") from None
    try:
        os.write(fd, ((secret.hex() if secret else secrets.token_hex(KEY_BYTES)) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if os.name != "nt":
        os.chmod(path, 0o600)  # whatever the umask
    return read_key(path)


class KeySource:
    """The desk's key, read once (made on first need): what a Store hands its sessions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key: AuditKey | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, env=None) -> KeySource:
        return cls(key_path(os.environ if env is None else env))

    def exists(self) -> bool:
        return self._key is not None or self.path.is_file()

    def get(self, *, create: bool = True) -> AuditKey | None:
        """The key; made now when there is none and `create` (else None)."""
        with self._lock:
            if self._key is None:
                if self.path.is_file():
                    self._key = read_key(self.path)
                elif create:
                    self._key = create_key(self.path)
            return self._key


def source_for(session) -> KeySource:
    """The key source of the Store that made `session` (Store.read/write put it in
    session.info), else this desk's default one."""
    found = session.info.get("audit_key")
    if found is None:
        found = session.info["audit_key"] = _default()
    return found


_defaults: dict[Path, KeySource] = {}


def _default() -> KeySource:
    path = key_path(os.environ)
    if path not in _defaults:
        _defaults[path] = KeySource(path)
    return _defaults[path]


def default_source() -> KeySource:
    """This desk's key source by the environment (one per path, shared in the process)."""
    return _default()
