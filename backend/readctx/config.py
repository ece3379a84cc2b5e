"""Settings: one frozen object with explicit defaults, read from ``READCTX_*`` environment variables.

Every field is documented in ``docs/settings.md``; ``tests/test_config.py`` checks that the two agree.
Command-line flags override the environment (``Settings.replace``).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
MODEL_MODES = ("auto", "fast", "off")
MODEL_HELP = (
    "auto (default): the 6-layer model; fast: its 3-layer student, about twice as fast to tag, about 2 points "
    "lower F1 (for CPUs without VNNI); off: rules only"
)


def default_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "readctx"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    # Where the token file and the near-duplicate index live.
    home: Path = dataclasses.field(default_factory=default_home)
    # Require the bearer token even on loopback (it is always required on other addresses).
    require_token: bool = False
    # Origins allowed by CORS, e.g. "chrome-extension://<id>"; empty means no cross-origin browser access.
    cors_origins: tuple[str, ...] = ()
    # Extra Host header values to accept besides loopback names and the bound host (reverse proxies).
    allowed_hosts: tuple[str, ...] = ()
    max_body_bytes: int = 5_000_000
    max_text_chars: int = 1_000_000
    max_batch_documents: int = 100
    # "auto": use the transformer when it loads, record a degradation when it does not; "fast": the same with the
    # smaller packaged student (for CPUs without VNNI int8); "off": rules only.
    model: str = "auto"
    # Results kept in memory, keyed by the input's hash (repeat requests for the same page).
    cache_size: int = 256
    # Fingerprint every document into the SQLite index and report near-duplicates; off: nothing is stored.
    index: bool = True
    # copy/partial matches are always reported; an incidental overlap only from this similarity/containment.
    match_threshold: float = 0.5

    def __post_init__(self) -> None:
        if self.model not in MODEL_MODES:
            raise InputError(f"model must be one of {', '.join(MODEL_MODES)}, not {self.model!r}")

    @property
    def token_path(self) -> Path:
        return self.home / "token"

    @property
    def index_path(self) -> Path:
        return self.home / "index.sqlite"

    @property
    def token_required(self) -> bool:
        return self.require_token or not is_loopback(self.host)

    def replace(self, **changes: Any) -> Settings:
        """A copy with the given fields changed; ``None`` means "not given" (an unset command-line flag)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"READCTX_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _parse(f.name, f.type, raw)
        return cls(**values)  # type: ignore[arg-type]


def _parse(name: str, kind: object, raw: str) -> object:
    kind = str(kind)
    try:
        if kind == "bool":
            lowered = raw.strip().lower()
            if lowered not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(raw)
            return lowered in ("1", "true", "yes", "on")
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw).expanduser()
        if kind.startswith("tuple"):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
    except ValueError:
        raise InputError(f"READCTX_{name.upper()}: cannot read {raw!r} as {kind}") from None
    return raw


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


MIN_TOKEN_CHARS = 16


def load_or_create_token(settings: Settings) -> str:
    """The service token: read from the home folder, created (owner-only) on first use."""
    path = settings.token_path
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        # An empty or cut-down file must not leave the service open (an empty token once matched no header
        # check at all): refuse, and say how to get a fresh one.
        if len(token) < MIN_TOKEN_CHARS:
            raise InputError(
                f"{path} holds no usable token (it needs at least {MIN_TOKEN_CHARS} characters); "
                "delete the file and readctx makes a new one"
            )
        return token
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    return token
