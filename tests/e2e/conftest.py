"""Fixtures for the extension's end-to-end tests: a loopback web server for the fixture pages,
headless Chromium with the unpacked extension, headless Firefox ESR with the Firefox build, and the real
readctx service as a subprocess.

Skipped (not failed, except under CI) when Debian's browsers are not installed:
``apt-get install chromium firefox-esr``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from extension_driver import EXTENSION_DIR, OTHER_SITE, PAGES_DIR, ExtensionDriver, Service, free_port
from firefox_driver import FIREFOX, STARTUP_SECONDS, FirefoxExtension, Marionette, install, start_firefox

CHROMIUM = Path("/usr/bin/chromium")
# Small enough that the fixture "live blog" page goes over it (413), large enough for articles.
MAX_TEXT_CHARS = 20_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A site name outside the extension's host permissions, served by the same loopback server.
    f"--host-resolver-rules=MAP {OTHER_SITE} 127.0.0.1",
    f"--disable-extensions-except={EXTENSION_DIR}",
    f"--load-extension={EXTENSION_DIR}",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _readctx_command() -> list[str]:
    script = Path(sys.executable).with_name("readctx")
    if script.exists():
        return [str(script)]
    found = shutil.which("readctx")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from readctx.cli import main; sys.exit(main())"]


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the tests save their screenshots: a scratch folder, or with READCTX_REFRESH_SCREENSHOTS=1 the
    committed ``extension/screenshots/`` that the READMEs show. Fonts differ between machines, so a plain
    test run must not rewrite tracked files."""
    if os.environ.get("READCTX_REFRESH_SCREENSHOTS") == "1":
        return EXTENSION_DIR / "screenshots"
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="session")
def pages_url() -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(PAGES_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def extension() -> Iterator[ExtensionDriver]:
    if not CHROMIUM.exists():
        # CI installs Chromium (.ci/run): there a missing browser is a failure, not a quiet skip.
        missing = pytest.fail if os.environ.get("CI") else pytest.skip
        missing(f"Chromium not installed at {CHROMIUM} (apt-get install chromium); extension e2e tests need it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with tempfile.TemporaryDirectory(prefix="readctx-profile-") as profile, sync_api.sync_playwright() as pw:
        # Playwright's --headless is Chromium's new headless mode, which loads extensions.
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            worker = (
                context.service_workers[0]
                if context.service_workers
                else context.wait_for_event("serviceworker", timeout=15_000)
            )
            extension_id = worker.url.split("/")[2]
            yield ExtensionDriver(context=context, worker=worker, extension_id=extension_id)
        finally:
            context.close()


@pytest.fixture(scope="session")
def service(extension: ExtensionDriver) -> Iterator[Service]:
    """The real readctx service on a free loopback port, requiring a token, allowing this extension."""
    with running_service(extension.origin) as running:
        extension.set_settings(serviceUrl=running.url, token=running.token)
        yield running


@contextlib.contextmanager
def running_service(origin: str) -> Iterator[Service]:
    """``readctx serve`` on a free loopback port in a scratch home, with a token, allowing ``origin``."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="readctx-home-") as home:
        env = {**os.environ, "READCTX_HOME": home, "READCTX_MAX_TEXT_CHARS": str(MAX_TEXT_CHARS)}
        # --no-model: the rule annotators are deterministic and start in a second.
        cmd = [
            *_readctx_command(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--cors-origin",
            origin,
            "--require-token",
            "--no-model",
        ]
        log = Path(home) / "serve.log"
        with log.open("w") as out:
            proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, proc, log)
            token = subprocess.run(
                [*_readctx_command(), "token"], env=env, check=True, capture_output=True, text=True
            ).stdout.strip()
            yield Service(url=url, token=token, home=Path(home))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"readctx serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            response = httpx.get(f"{url}/healthz", timeout=2)
            if response.status_code == 200 and response.json().get("status") == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"readctx serve did not become healthy:\n{log.read_text()}")


@pytest.fixture
def configured(extension: ExtensionDriver, service: Service) -> Iterator[ExtensionDriver]:
    """The extension pointed at the running service with the right token (restored after each test)."""
    defaults = {"serviceUrl": service.url, "token": service.token, "alwaysSites": [], "hiddenTypes": []}
    extension.set_settings(**defaults)
    yield extension
    extension.set_settings(**defaults)
    for page in extension.context.pages[1:]:
        page.close()


@pytest.fixture(scope="session")
def firefox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirefoxExtension]:
    """Headless Firefox ESR with the Firefox build of the extension installed as a temporary add-on."""
    if not FIREFOX.exists() or shutil.which("node") is None:
        missing = pytest.fail if os.environ.get("CI") else pytest.skip
        missing(f"Firefox ESR ({FIREFOX}: apt-get install firefox-esr) and Node.js are needed for the Firefox test")
    subprocess.run(["node", str(EXTENSION_DIR / "build.mjs")], check=True, capture_output=True)
    scratch = tmp_path_factory.mktemp("firefox")
    port = free_port()
    process, addon_uuid = start_firefox(scratch / "profile", port, scratch / "firefox.log")
    marionette: Marionette | None = None
    try:
        marionette = Marionette(port, timeout=STARTUP_SECONDS)
        install(marionette, EXTENSION_DIR / "dist" / "firefox")
        yield FirefoxExtension(marionette, addon_uuid)
    finally:
        if marionette is not None:
            marionette.close()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def firefox_service(firefox: FirefoxExtension) -> Iterator[Service]:
    with running_service(firefox.origin) as running:
        yield running
