"""Drives the Firefox build of the extension (``extension/dist/firefox``) in headless Firefox ESR.

Playwright's Firefox is a patched build that cannot be downloaded here, and WebDriver BiDi may not open
``moz-extension://`` pages, so this speaks Marionette, Firefox's own remote protocol (length-prefixed JSON
over TCP), directly: it installs the add-on as a temporary one, and opens the sidebar page as a tab from
the browser's chrome context, which extension pages require. The add-on's internal UUID is fixed in the
profile so that the service can allow its origin before the browser starts.
"""

from __future__ import annotations

import itertools
import json
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIREFOX = Path("/usr/bin/firefox-esr")
ADDON_ID = "readctx@readctx.local"  # browser_specific_settings.gecko.id in extension/firefox/manifest.json
STARTUP_SECONDS = 60

# Opens a URL in a new tab with the system principal: content-side navigation to moz-extension:// is refused.
_OPEN_TAB = """
const win = Services.wm.getMostRecentWindow("navigator:browser");
win.gBrowser.selectedTab = win.gBrowser.addTab(arguments[0], {
  triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal(),
});
"""


class MarionetteError(RuntimeError):
    pass


class Marionette:
    """The few Marionette commands the tests need: ``[0, id, name, params]`` out, ``[1, id, error, value]`` in."""

    def __init__(self, port: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self._buffer = b""
        self._ids = itertools.count(1)
        self._read()  # the server's hello

    def _read(self) -> Any:
        while b":" not in self._buffer:
            self._receive()
        length, _, rest = self._buffer.partition(b":")
        self._buffer = rest
        while len(self._buffer) < int(length):
            self._receive()
        message, self._buffer = self._buffer[: int(length)], self._buffer[int(length) :]
        return json.loads(message)

    def _receive(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise MarionetteError("Firefox closed the Marionette connection")
        self._buffer += chunk

    def call(self, name: str, **params: Any) -> Any:
        message_id = next(self._ids)
        data = json.dumps([0, message_id, name, params]).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        while True:
            _, reply_id, error, result = self._read()
            if reply_id == message_id:
                if error:
                    raise MarionetteError(f"{name}: {error.get('error')}: {error.get('message')}")
                return result

    def close(self) -> None:
        self.sock.close()


@dataclass
class FirefoxExtension:
    marionette: Marionette
    addon_uuid: str
    handles: dict[str, str] = field(default_factory=dict)  # page name → window handle

    @property
    def origin(self) -> str:
        return f"moz-extension://{self.addon_uuid}"

    def script(self, source: str, *args: Any) -> Any:
        """Runs ``source`` as a function body in the current tab; ``return`` gives its result."""
        return self.marionette.call("WebDriver:ExecuteScript", script=source, args=list(args))["value"]

    def async_script(self, source: str, *args: Any) -> Any:
        """Runs ``source`` with a ``done`` callback (the last argument) and returns what it was called with."""
        wrapped = f"const done = arguments[arguments.length - 1];\n{source}"
        return self.marionette.call("WebDriver:ExecuteAsyncScript", script=wrapped, args=list(args))["value"]

    def open_tab(self, name: str, url: str) -> None:
        """Opens ``url`` in a new tab, switches to it and remembers it as ``name``."""
        before = set(self.marionette.call("WebDriver:GetWindowHandles"))
        self.marionette.call("Marionette:SetContext", value="chrome")
        try:
            self.marionette.call("WebDriver:ExecuteScript", script=_OPEN_TAB, args=[url])
        finally:
            self.marionette.call("Marionette:SetContext", value="content")
        (handle,) = set(self.marionette.call("WebDriver:GetWindowHandles")) - before
        self.handles[name] = handle
        self.switch_to(name)
        # The new tab shows about:blank (itself "complete") before the page: wait for the page itself.
        self.wait_for(f"return location.href === {json.dumps(url)} && document.readyState === 'complete'")

    def switch_to(self, name: str) -> None:
        self.marionette.call("WebDriver:SwitchToWindow", handle=self.handles[name])

    def tab_id(self, url: str, timeout: float = 15) -> int:
        """The browser's id of the one tab showing ``url``, asked from the current (extension) page; retried,
        because a tab's URL reaches the tabs API a moment after its page has loaded."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                ids = self._tab_ids(url)
            except MarionetteError:  # the extension page is not ready to script yet
                ids = None
            if isinstance(ids, list) and len(ids) == 1:
                return int(ids[0])
            if time.monotonic() > deadline:
                raise TimeoutError(f"no single tab for {url} after {timeout} s: {ids}")
            time.sleep(0.2)

    def _tab_ids(self, url: str) -> Any:
        return self.async_script(
            "browser.tabs.query({}).then("
            "(tabs) => done(tabs.filter((t) => t.url === arguments[0]).map((t) => t.id)), () => done(null))",
            url,
        )

    def wait_for(self, condition: str, timeout: float = 30) -> None:
        """Polls ``condition`` (a function body returning a boolean) in the current tab; a script error while
        the page is still being replaced counts as "not yet"."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.script(condition):
                    return
            except MarionetteError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {condition}")
            time.sleep(0.1)


def start_firefox(profile: Path, port: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Headless Firefox ESR with a fresh profile whose add-on UUID is fixed; returns the process and the UUID."""
    addon_uuid = str(uuid.uuid4())
    preferences = {
        "extensions.webextensions.uuids": json.dumps({ADDON_ID: addon_uuid}),
        "marionette.port": port,
        # What the README tells users to allow if Firefox did not at install: access to the loopback service.
        "extensions.originControls.grantByDefault": True,
        "browser.shell.checkDefaultBrowser": False,
        "browser.aboutwelcome.enabled": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "app.update.disabledForTesting": True,
    }
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "user.js").write_text(
        "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in preferences.items()), encoding="utf-8"
    )
    command = [
        str(FIREFOX),
        "--headless",
        "--no-remote",
        "--marionette",
        "-remote-allow-system-access",  # Marionette's chrome context, to open extension pages
        "-profile",
        str(profile),
        "about:blank",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    return process, addon_uuid


def install(marionette: Marionette, extension_dir: Path) -> None:
    marionette.call("WebDriver:NewSession", capabilities={})
    added = marionette.call("Addon:Install", path=str(extension_dir), temporary=True)
    assert added["value"] == ADDON_ID, added
