from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from readctx.config import Settings, is_loopback, load_or_create_token
from readctx.errors import InputError

DOCS = Path(__file__).parent.parent / "docs" / "settings.md"


def test_every_setting_is_documented_and_nothing_else() -> None:
    documented = re.findall(r"^\| `(\w+)` \| `READCTX_(\w+)`", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    fields = [f.name for f in dataclasses.fields(Settings)]
    assert [name for name, _ in documented] == fields
    assert all(env == name.upper() for name, env in documented)


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "READCTX_PORT": "9000",
            "READCTX_REQUIRE_TOKEN": "yes",
            "READCTX_CORS_ORIGINS": "chrome-extension://abc, moz-extension://def",
            "READCTX_HOME": str(tmp_path),
            "READCTX_MATCH_THRESHOLD": "0.7",
        }
    )
    assert settings.port == 9000
    assert settings.require_token is True
    assert settings.cors_origins == ("chrome-extension://abc", "moz-extension://def")
    assert settings.index_path == tmp_path / "index.sqlite"
    assert settings.match_threshold == 0.7
    assert settings.host == "127.0.0.1"


def test_bad_values_are_named() -> None:
    with pytest.raises(InputError, match="READCTX_PORT: cannot read 'eighty' as int"):
        Settings.from_env({"READCTX_PORT": "eighty"})


def test_token_required_off_loopback() -> None:
    assert not Settings().token_required
    assert Settings(require_token=True).token_required
    assert Settings(host="0.0.0.0").token_required
    assert is_loopback("::1") and is_loopback("127.0.0.2") and not is_loopback("192.168.1.5")


def test_token_is_created_once_owner_only(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    token = load_or_create_token(settings)
    assert len(token) >= 40
    assert load_or_create_token(settings) == token
    assert settings.token_path.stat().st_mode & 0o777 == 0o600


def test_model_mode_is_checked() -> None:
    with pytest.raises(InputError, match="model must be one of auto, fast, off, not 'of'"):
        Settings.from_env({"READCTX_MODEL": "of"})
