"""Runs the extension's JavaScript unit tests (anchoring, offsets, fuzzy matching) with node's
built-in test runner, so that one pytest run covers them too."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

EXTENSION_DIR = Path(__file__).resolve().parents[2] / "extension"


def test_javascript_unit_tests_pass() -> None:
    node = shutil.which("node")
    if node is None:
        missing = pytest.fail if os.environ.get("CI") else pytest.skip  # CI has node: absent there is a failure
        missing("node is not installed; the extension's unit tests need node >= 20")
    result = subprocess.run([node, "--test", "test/"], cwd=EXTENSION_DIR, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
