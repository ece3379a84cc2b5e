"""Static checks of the extension's manifests and code (no browser needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extension"


def _manifest(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXTENSION_DIR / path).read_text())
    return data


def test_chrome_manifest_asks_for_little() -> None:
    m = _manifest("manifest.json")
    assert m["manifest_version"] == 3
    assert sorted(m["permissions"]) == ["activeTab", "scripting", "sidePanel", "storage"]
    assert m["host_permissions"] == ["http://127.0.0.1/*", "http://localhost/*"]
    assert "<all_urls>" not in json.dumps(m)
    assert m["optional_host_permissions"] == ["http://*/*", "https://*/*"]
    assert m["side_panel"] == {"default_path": "sidepanel.html"}
    assert m["background"] == {"service_worker": "background.js", "type": "module"}
    assert m["commands"]["annotate-page"]["suggested_key"]["default"] == "Alt+Shift+R"
    assert "content_scripts" not in m  # injected on demand only


def test_firefox_manifest_uses_a_sidebar() -> None:
    chrome, firefox = _manifest("manifest.json"), _manifest("firefox/manifest.json")
    assert firefox["sidebar_action"]["default_panel"] == "sidepanel.html"
    assert firefox["background"] == {"scripts": ["background.js"], "type": "module"}
    assert "sidePanel" not in firefox["permissions"]
    for key in ("host_permissions", "optional_host_permissions", "commands", "version", "options_ui"):
        assert firefox[key] == chrome[key], key


def test_files_named_by_the_manifests_exist() -> None:
    for name in ("background.js", "sidepanel.html", "options.html", "content/highlights.css"):
        assert (EXTENSION_DIR / name).is_file(), name
    for size in (16, 32, 48, 128):
        assert (EXTENSION_DIR / f"icons/icon{size}.png").is_file()


def test_no_code_turns_strings_into_markup() -> None:
    risky = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function")
    for path in EXTENSION_DIR.rglob("*.js"):
        if "dist" in path.parts or "test" in path.parts:
            continue
        assert not risky.search(path.read_text()), f"{path} builds markup from strings"
