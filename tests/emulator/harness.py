# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start `python -m tests.emulator` for a test and talk to its inspection surface.

    with Emulator(args=["--generate", "50"]) as emu:
        emu.url, emu.state(), emu.actions(), emu.executions(id), emu.requests(), emu.reset(), emu.configure(...),
        emu.admin_edit(...)

Standard library only, so any test can use it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from urllib import error as urlerror
from urllib import request as urlrequest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class EmulatorError(RuntimeError):
    """The emulator did not start, or died; the message carries its stderr."""


class ApiResponse:
    """What `Emulator.call` returns: status, headers (case-insensitive), parsed JSON body (or None)."""

    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        try:
            self.body = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            self.body = None

    def __repr__(self):
        return "ApiResponse(%d, %r)" % (self.status, self.raw[:200])


class Emulator:
    """A running emulator process; a context manager that always terminates it."""

    def __init__(self, args=None, seed=None, start_timeout=30.0, python=None):
        self.args = list(args or [])
        self.seed = seed
        self.start_timeout = start_timeout
        self.python = python or sys.executable
        self.url = None
        self.ca_path = None
        self.process = None
        self._tmpdir = None
        self._stderr = None

    # ---------------------------------------------------------------- lifecycle

    def start(self):
        self._tmpdir = tempfile.mkdtemp(prefix="genesys-emulator-")
        args = list(self.args)
        if isinstance(self.seed, dict):
            seed_path = os.path.join(self._tmpdir, "seed.json")
            with open(seed_path, "w") as handle:
                json.dump(self.seed, handle)
            args += ["--seed", seed_path]
        elif self.seed:
            args += ["--seed", os.fspath(self.seed)]
        if "--tls" in args and "--tls-cert-out" not in args:
            self.ca_path = os.path.join(self._tmpdir, "ca.pem")
            args += ["--tls-cert-out", self.ca_path]
        elif "--tls-cert-out" in args:
            self.ca_path = args[args.index("--tls-cert-out") + 1]
        if "--port" not in args:
            args += ["--port", "0"]
        # stderr goes to a file: a full pipe must never block the server, and we can show it if it dies.
        self._stderr = open(os.path.join(self._tmpdir, "stderr.log"), "w+b")
        self.process = subprocess.Popen(
            [self.python, "-m", "tests.emulator"] + args, cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr)
        line = self._first_line()
        prefix = "listening on "
        if not line.startswith(prefix):
            self.stop()
            raise EmulatorError("emulator said %r instead of 'listening on ...'\n%s" % (line, self.stderr()))
        self.url = line[len(prefix):].strip()
        # Keep draining stdout so a chatty server can never block on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _first_line(self):
        box = []
        reader = threading.Thread(target=lambda: box.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not box or not box[0]:
            self.stop()
            raise EmulatorError("emulator did not start within %.0fs\n%s" % (self.start_timeout, self.stderr()))
        return box[0].decode("utf-8", "replace")

    def _drain(self):
        try:
            for _line in self.process.stdout:
                pass
        except (OSError, ValueError):
            pass

    def stderr(self):
        if self._stderr is None:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
        return False

    # ---------------------------------------------------------------- HTTP

    def _context(self):
        if self.url and self.url.startswith("https") and self.ca_path:
            return ssl.create_default_context(cafile=self.ca_path)
        return None

    def call(self, method, path, body=None, token=None, headers=None, form=None, timeout=30.0):
        """One HTTP request to the emulator; never raises on HTTP error statuses."""
        all_headers = dict(headers or {})
        data = None
        if form is not None:
            from urllib.parse import urlencode
            data = urlencode(form).encode("utf-8")
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
            all_headers.setdefault("Content-Type", "application/json")
        if token:
            all_headers["Authorization"] = "Bearer %s" % token
        req = urlrequest.Request(self.url + path, data=data, method=method, headers=all_headers)
        try:
            with urlrequest.urlopen(req, timeout=timeout, context=self._context()) as resp:
                return ApiResponse(resp.status, resp.headers, resp.read())
        except urlerror.HTTPError as exc:
            return ApiResponse(exc.code, exc.headers, exc.read())

    def _inspect(self, method, path, body=None):
        response = self.call(method, path, body=body if body is not None else ({} if method == "POST" else None))
        if response.status >= 400:
            if not self.alive():
                raise EmulatorError("emulator died\n%s" % self.stderr())
            raise EmulatorError("%s %s -> %d %s" % (method, path, response.status, response.raw[:500]))
        return response.body

    def token(self, client_id="demo-client", client_secret="demo-secret"):
        """A client-credentials access token (raises EmulatorError when refused)."""
        basic = base64.b64encode(("%s:%s" % (client_id, client_secret)).encode("utf-8")).decode("ascii")
        response = self.call("POST", "/oauth/token", form={"grant_type": "client_credentials"},
                             headers={"Authorization": "Basic " + basic})
        if response.status != 200:
            raise EmulatorError("token refused: %d %s" % (response.status, response.raw[:300]))
        return response.body["access_token"]

    # ---------------------------------------------------------------- inspection surface

    def state(self):
        return self._inspect("GET", "/__emulator/state")

    def actions(self, org=None):
        orgs = self.state()["orgs"]
        if org is None:
            if len(orgs) != 1:
                raise ValueError("several orgs: pass org=")
            org = next(iter(orgs))
        return orgs[org]["actions"]

    def executions(self, action_id, org=None):
        """One action's recorded history, oldest first: [[epoch_ms, duration_ms, errorType or None], ...]."""
        from urllib.parse import urlencode
        query = {"action_id": action_id}
        if org is not None:
            query["org"] = org
        return self._inspect("GET", "/__emulator/executions?" + urlencode(query))["executions"]

    def requests(self, since=None):
        return self._inspect("GET", "/__emulator/requests" + ("?since=%d" % since if since else ""))

    def clear_requests(self):
        return self._inspect("POST", "/__emulator/requests/clear")

    def reset(self):
        return self._inspect("POST", "/__emulator/reset")

    def configure(self, **switches):
        return self._inspect("POST", "/__emulator/config", switches)

    def admin_edit(self, **edit):
        return self._inspect("POST", "/__emulator/admin-edit", edit)

    def wait_until(self, predicate, timeout=10.0, interval=0.05):
        """Poll predicate() until true; for tests that wait on the server."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(interval)
        return False
