# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small forward proxy on 127.0.0.1 that writes down what passed through it, for the transport and
secrets tests: HTTPS goes through CONNECT tunnels (the proxy sees only the host asked for), plain HTTP is
forwarded request by request (the proxy sees the requests and the answers, tokens included).

    with RecordingProxy() as proxy:
        env = {"HTTPS_PROXY": proxy.url, "HTTP_PROXY": proxy.url}
        ...
        proxy.tunnels      # ["127.0.0.1:8443", ...], one per CONNECT
        proxy.exchanges    # [{"method", "url", "headers", "status", "body"}, ...] for plain HTTP

Standard library only. An upstream connection closed without an answer is passed on as a connection closed
without an answer, so the emulator's dropped-connection faults reach the client as they are.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import http.client
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Hop-by-hop headers (RFC 9110 7.6.1): a proxy does not pass them on.
_HOP_BY_HOP = frozenset(("connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate",
                         "te", "trailer", "transfer-encoding", "upgrade"))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_CONNECT(self):
        proxy = self.server.recorder
        with proxy.lock:
            proxy.tunnels.append(self.path)
        host, dummy, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host, int(port)), timeout=30)
        except (OSError, ValueError):
            self.send_error(502, "cannot reach %s" % self.path)
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        sockets = [self.connection, upstream]
        try:
            while True:
                readable, _w, _x = select.select(sockets, [], [], 60)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is self.connection else self.connection).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()

    def _forward(self):
        proxy = self.server.recorder
        target = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP)
        record = {"method": self.command, "url": self.path, "headers": headers, "status": None, "body": b""}
        with proxy.lock:
            proxy.exchanges.append(record)
        path = target.path + ("?" + target.query if target.query else "")
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=120)
        try:
            upstream.request(self.command, path or "/", body=body, headers=headers)
            answer = upstream.getresponse()
            payload = answer.read()
        except (OSError, http.client.HTTPException):
            # The server closed the connection without an answer: so does the proxy.
            self.close_connection = True
            return
        finally:
            upstream.close()
        record["status"], record["body"] = answer.status, payload
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in _HOP_BY_HOP and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _forward


class RecordingProxy(object):
    """A threaded forward proxy; a context manager that always stops it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tunnels = []
        self.exchanges = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.recorder = self
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1})
        self._thread.daemon = True

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

    def close(self):
        self._server.shutdown()
        self._server.server_close()

    def clear(self):
        with self.lock:
            del self.tunnels[:]
            del self.exchanges[:]
