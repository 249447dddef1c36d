"""A headless Chromium driven through the DevTools protocol over a pipe.

No driver, no websocket library, no download: Chromium's own
``--remote-debugging-pipe`` reads NUL-separated JSON commands on fd 3 and
writes replies and events on fd 4, which is all the browser test, the
benchmark and the README screenshots need. Every request the page makes is
recorded and anything but ``file:``/``data:`` is failed before it leaves.

    with Chromium() as browser:
        page = browser.open(Path("graph.html").resolve().as_uri())
        page.evaluate("document.title")
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Optional

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# The flags the brief asks for, plus a dead proxy and a resolver that knows no
# host: even a request the interception missed cannot reach the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--disable-dev-shm-usage",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def find_chromium() -> Optional[str]:
    """The Chromium binary: $CHROMIUM, then the usual Debian paths, then PATH."""
    env = os.environ.get("CHROMIUM")
    if env and Path(env).is_file():
        return env
    for path in CANDIDATES:
        if Path(path).is_file():
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


class CdpError(RuntimeError):
    pass


class Chromium:
    """One headless browser process with a fresh profile, closed on exit."""

    def __init__(self, binary: Optional[str] = None, *, width: int = 1400, height: int = 900):
        self.binary = binary or find_chromium()
        if not self.binary:
            raise CdpError("chromium not found (apt-get install chromium)")
        self.width, self.height = width, height
        self._id = 0
        self._lock = threading.Lock()
        self._replies: dict[int, dict] = {}
        self._cond = threading.Condition(self._lock)
        self._listeners: list[Callable[[dict], None]] = []
        self._closed = False
        self.stderr_tail: list[bytes] = []

    # -- process ---------------------------------------------------------------

    def __enter__(self) -> "Chromium":
        self.profile = tempfile.mkdtemp(prefix="kg-chromium-")
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()
        # Move the child's ends above 4 so that dup2 onto 3 and 4 cannot clobber them.
        cmd_r2, res_w2 = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10), fcntl.fcntl(res_w, fcntl.F_DUPFD, 10)
        os.close(cmd_r)
        os.close(res_w)

        def child_fds() -> None:
            # dup2 leaves 3 and 4 inheritable; close_fds=False stops Popen from
            # closing them after this runs (Python's own fds are not inheritable).
            os.dup2(cmd_r2, 3)
            os.dup2(res_w2, 4)

        args = [self.binary, *FLAGS, f"--user-data-dir={self.profile}",
                f"--window-size={self.width},{self.height}", "about:blank"]
        self.proc = subprocess.Popen(
            args, close_fds=False, preexec_fn=child_fds,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        os.close(cmd_r2)
        os.close(res_w2)
        self._out = os.fdopen(cmd_w, "wb", buffering=0)
        self._in = os.fdopen(res_r, "rb", buffering=0)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self.call("Browser.getVersion", timeout=30)
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        for f in (self._out, self._in):
            try:
                f.close()
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _drain_stderr(self) -> None:
        # Chromium logs a lot on stderr; an unread pipe would block it.
        for line in self.proc.stderr:
            self.stderr_tail = (self.stderr_tail + [line])[-20:]

    # -- protocol ----------------------------------------------------------------

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = self._in.read(65536)
            except (OSError, ValueError):
                chunk = b""
            if not chunk:
                with self._cond:
                    self._closed_pipe = True
                    self._cond.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self._cond:
                        self._replies[msg["id"]] = msg
                        self._cond.notify_all()
                else:
                    for fn in list(self._listeners):
                        fn(msg)

    def call(self, method: str, params: Optional[dict] = None, *, session: Optional[str] = None,
             timeout: float = 60) -> dict:
        with self._cond:
            self._id += 1
            mid = self._id
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._out.write(json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._cond:
            while mid not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or getattr(self, "_closed_pipe", False):
                    raise CdpError(f"{method}: no reply within {timeout}s")
                self._cond.wait(left)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise CdpError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def open(self, url: str, *, timeout: float = 60) -> "Page":
        """A new tab with interception on, navigated to ``url`` and loaded."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, target)
        page.navigate(url, timeout=timeout)
        return page


class Page:
    """One tab: its console errors, its requests, and JavaScript evaluation."""

    def __init__(self, browser: Chromium, session: str, target: str):
        self.browser, self.session, self.target = browser, session, target
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.events: list[tuple[float, str]] = []
        browser._listeners.append(self._on_event)
        for method, params in (
            ("Page.enable", {}),
            ("Runtime.enable", {}),
            ("Log.enable", {}),
            ("Network.enable", {}),
            ("Network.emulateNetworkConditions",
             {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
            ("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}),
            ("Emulation.setDeviceMetricsOverride",
             {"width": browser.width, "height": browser.height, "deviceScaleFactor": 1, "mobile": False}),
        ):
            self.call(method, params)

    def call(self, method: str, params: Optional[dict] = None, timeout: float = 60) -> dict:
        return self.browser.call(method, params, session=self.session, timeout=timeout)

    def _on_event(self, msg: dict) -> None:
        if msg.get("sessionId") != self.session:
            return
        method, p = msg.get("method", ""), msg.get("params", {})
        self.events.append((time.monotonic(), method))
        if method == "Network.requestWillBeSent":
            self.requests.append(p["request"]["url"])
        elif method == "Fetch.requestPaused":
            url = p["request"]["url"]
            if url.startswith(LOCAL_SCHEMES):
                reply = ("Fetch.continueRequest", {"requestId": p["requestId"]})
            else:
                self.blocked.append(url)
                reply = ("Fetch.failRequest", {"requestId": p["requestId"], "errorReason": "BlockedByClient"})
            # Replying from the reader thread would wait on itself: send without waiting.
            threading.Thread(target=self._reply, args=reply, daemon=True).start()
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            self.errors.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.errors.append("exception: " + str(d.get("exception", {}).get("description") or d.get("text")))
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            e = p["entry"]
            self.errors.append(f"log ({e.get('source')}): {e.get('text')} {e.get('url', '')}".strip())

    def close(self) -> None:
        self.browser._listeners.remove(self._on_event)
        self.browser.call("Target.closeTarget", {"targetId": self.target})

    def _reply(self, method: str, params: dict) -> None:
        try:
            self.call(method, params, timeout=10)
        except CdpError:
            pass

    def navigate(self, url: str, timeout: float = 60) -> None:
        start = time.monotonic()
        self.call("Page.navigate", {"url": url})
        self.wait_for_event("Page.loadEventFired", since=start, timeout=timeout)

    def wait_for_event(self, method: str, *, since: float, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(t >= since and m == method for t, m in list(self.events)):
                return
            time.sleep(0.02)
        raise CdpError(f"{method} not seen within {timeout}s")

    def evaluate(self, expression: str, timeout: float = 60) -> Any:
        """The value of a JavaScript expression (promises awaited, result as JSON)."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True}, timeout=timeout)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CdpError(f"evaluate: {d.get('exception', {}).get('description') or d.get('text')}")
        return r.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 60, poll: float = 0.05) -> Any:
        """Poll until ``expression`` is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise CdpError(f"timed out waiting for {expression}")
            time.sleep(poll)

    def screenshot(self, path: Path, *, full_page: bool = False) -> Path:
        r = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full_page})
        path = Path(path)
        path.write_bytes(base64.b64decode(r["data"]))
        return path
