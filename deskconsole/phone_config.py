"""The `[phone]` settings: where the console hears of calls (DOMAIN §2).

    [phone]
    feed = "keys"                    # keys | ami | http; the keys F7/F8 always work as well
    ami = "tcp://deskconsole@192.168.1.10:5038"   # secret: DESKCONSOLE_AMI_SECRET or ami_secret_file
    extensions = ["8001", "8002"]    # the desk's own first, then its neighbours
    http_listen = "127.0.0.1:8765"   # token: DESKCONSOLE_CTI_TOKEN or cti_token_file

Secrets are never read from the config file itself: from the environment, else from a file
named here (one line), read when the feed starts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FEEDS = ("keys", "ami", "http")
KEYS = {"feed", "ami", "ami_secret_file", "extensions", "http_listen", "cti_token_file"}
_AMI = re.compile(r"^tcp://([^@/:\s]+)@([^:/\s]+)(?::(\d{1,5}))?/?$")
_LISTEN = re.compile(r"^([^:\s]+):(\d{1,5})$")
_EXT = re.compile(r"^(?:(?:PJSIP|SIP|IAX2|Local)/)?[0-9A-Za-z*#+_-]{1,32}$")


class SecretMissing(Exception):
    """The feed needs a secret that neither the environment nor the named file gives."""


@dataclass(frozen=True)
class PhoneSettings:
    feed: str = "keys"
    ami_user: str = ""
    ami_host: str = ""
    ami_port: int = 5038
    ami_secret_file: Path | None = None
    extensions: tuple[str, ...] = ()
    http_host: str = "127.0.0.1"
    http_port: int = 8765
    cti_token_file: Path | None = None

    @property
    def own_extension(self) -> str | None:
        return self.extensions[0] if self.extensions else None

    def ami_secret(self, env=None) -> str:
        return _secret(env, "DESKCONSOLE_AMI_SECRET", self.ami_secret_file)

    def cti_token(self, env=None) -> str:
        return _secret(env, "DESKCONSOLE_CTI_TOKEN", self.cti_token_file)


def _secret(env, var: str, path: Path | None) -> str:
    env = os.environ if env is None else env
    value = (env.get(var) or "").strip()
    if not value and path is not None:
        try:
            value = path.expanduser().read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SecretMissing(f"{path}: cannot read ({exc.strerror})") from None
    if not value:
        raise SecretMissing(f"set {var}" + (f" or put it in {path}" if path else ""))
    return value


def parse(sec: dict, fail: Callable[[str, str], Exception]) -> PhoneSettings:
    """The [phone] table, checked; `fail(key, problem)` makes the located ConfigError."""
    out: dict = {}
    for key in sec:
        if key not in KEYS:
            raise fail(f"phone.{key}", "unknown setting")
    if "feed" in sec:
        if sec["feed"] not in FEEDS:
            raise fail("phone.feed", f"'{sec['feed']}' is not one of {', '.join(FEEDS)}")
        out["feed"] = sec["feed"]
    if "ami" in sec:
        m = _AMI.match(str(sec["ami"]).strip())
        if not m or not 0 < int(m.group(3) or 5038) < 65536:
            raise fail("phone.ami", 'expected "tcp://USER@HOST:5038"')
        out.update(ami_user=m.group(1), ami_host=m.group(2), ami_port=int(m.group(3) or 5038))
    if "extensions" in sec:
        exts = sec["extensions"]
        if not isinstance(exts, list) or not exts or not all(isinstance(e, str) and _EXT.match(e) for e in exts):
            raise fail("phone.extensions", 'expected a list such as ["8001", "8002"] or ["PJSIP/8001"]')
        out["extensions"] = tuple(exts)
    if "http_listen" in sec:
        m = _LISTEN.match(str(sec["http_listen"]).strip())
        if not m or not 0 <= int(m.group(2)) < 65536:  # 0: any free port (said at start)
            raise fail("phone.http_listen", 'expected "HOST:PORT" such as "127.0.0.1:8765"')
        out.update(http_host=m.group(1), http_port=int(m.group(2)))
    for key in ("ami_secret_file", "cti_token_file"):
        if key in sec:
            if not isinstance(sec[key], str) or not sec[key].strip():
                raise fail(f"phone.{key}", "expected a file path in quotes")
            out[key] = Path(sec[key].strip()).expanduser()
    settings = PhoneSettings(**out)
    if settings.feed == "ami" and (not settings.ami_host or not settings.extensions):
        raise fail("phone.feed", 'feed "ami" needs phone.ami and phone.extensions')
    return settings
