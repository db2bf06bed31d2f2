# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render an HTML report in headless Chromium: a screenshot and the rendered DOM's text.

``render_in_chromium(html_path, png_path) -> dom_text`` installs Debian's ``chromium``
package when /usr/bin/chromium is missing (the tests run as root) and fails loudly
when it cannot.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fcntl
import os
import shutil
import sys
import struct
import subprocess
import tempfile
import zlib

from html.parser import HTMLParser

CHROMIUM = "/usr/bin/chromium"
_INSTALL_LOCK = "/tmp/genesyscloud-cx-chromium-install.lock"
_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1"]


def artifacts_dir():
    """tests/output/artifacts/<ansible-core version>/: where the screenshots are kept for people to look at.

    make test runs the integration suites of several ansible-core versions at once in one checkout: each keeps
    its screenshots in its own folder, so that one suite never replaces or removes a file another is reading.
    """
    try:
        from ansible.release import __version__ as version
    except ImportError:
        version = "python-%d.%d" % sys.version_info[:2]
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "output", "artifacts",
                        "ansible-core-%s" % version)
    if not os.path.isdir(path):
        os.makedirs(path, exist_ok=True)
    return path


class ChromiumError(RuntimeError):
    """Chromium is missing and cannot be installed, or it did not render the page."""


def ensure_chromium():
    """Return the chromium path, installing the Debian package first when it is absent."""
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    # Several test workers may get here at once: one installs, the others wait for it.
    with open(_INSTALL_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(CHROMIUM):
            return CHROMIUM
        if os.geteuid() != 0:
            raise ChromiumError("%s is missing and installing it needs root: run "
                                "'apt-get update && apt-get install -y chromium' as root" % CHROMIUM)
        if not shutil.which("apt-get"):
            raise ChromiumError("%s is missing and there is no apt-get to install it with" % CHROMIUM)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for command in (["apt-get", "-o", "DPkg::Lock::Timeout=300", "update"],
                        ["apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends",
                         "chromium"]):
            done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  universal_newlines=True, timeout=1200, check=False)
            if done.returncode != 0:
                raise ChromiumError("%s failed (rc %d):\n%s" % (
                    " ".join(command), done.returncode, done.stdout[-4000:]))
    if not os.path.exists(CHROMIUM):
        raise ChromiumError("apt-get install chromium succeeded but %s does not exist" % CHROMIUM)
    return CHROMIUM


def _run_chromium(args, timeout=180):
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        command = [ensure_chromium()] + _FLAGS + ["--user-data-dir=%s" % profile] + args
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=timeout, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if done.returncode != 0:
        raise ChromiumError("chromium exited with %d:\n%s" % (done.returncode, done.stderr[-4000:]))
    return done.stdout


class _TextExtractor(HTMLParser):
    """Collects the text a reader would see: no <style>, <script>, <title> or SVG <desc> bodies."""

    _HIDDEN = ("style", "script", "head", "desc")

    def __init__(self):
        HTMLParser.__init__(self, convert_charrefs=True)
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in self._HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def dom_text(dom_html):
    """The visible text of a DOM dump, whitespace collapsed to single spaces."""
    parser = _TextExtractor()
    parser.feed(dom_html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def render_in_chromium(html_path, png_path, window_size=(1280, 2400)):
    """Screenshot html_path into png_path and return the rendered page's visible text.

    The raw DOM dump is kept next to the screenshot (``<png>.dom.html``) for inspection.
    """
    html_path = os.path.abspath(str(html_path))
    png_path = os.path.abspath(str(png_path))
    if not os.path.isfile(html_path):
        raise ChromiumError("no HTML file at %s" % html_path)
    directory = os.path.dirname(png_path)
    if directory and not os.path.isdir(directory):
        os.makedirs(directory)
    url = "file://" + html_path
    size = "--window-size=%d,%d" % tuple(window_size)
    # Chromium writes into a fresh name next to png_path, which then replaces png_path in one step: a screenshot
    # left by an earlier run is never read as this one's, and a reader never sees a half-written file.
    fresh = "%s.%d.tmp.png" % (png_path, os.getpid())
    try:
        _run_chromium([size, "--screenshot=%s" % fresh, url])
        if not os.path.isfile(fresh):
            raise ChromiumError("chromium exited cleanly but wrote no screenshot at %s" % fresh)
        os.replace(fresh, png_path)
    finally:
        if os.path.exists(fresh):
            os.remove(fresh)
    dom = _run_chromium([size, "--dump-dom", url])
    with open(png_path + ".dom.html", "w") as handle:
        handle.write(dom)
    return dom_text(dom)


# ---------------------------------------------------------------- PNG inspection (no Pillow needed)

def _paeth(left, up, up_left):
    estimate = left + up - up_left
    distance_left, distance_up, distance_up_left = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
    if distance_left <= distance_up and distance_left <= distance_up_left:
        return left
    return up if distance_up <= distance_up_left else up_left


def png_stats(png_path):
    """Width, height, distinct colours and the share of non-white pixels of an 8-bit RGB(A) PNG."""
    with open(png_path, "rb") as handle:
        blob = handle.read()
    if blob[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s is not a PNG" % png_path)
    offset, idat, header = 8, [], None
    while offset < len(blob):
        length, kind = struct.unpack(">I4s", blob[offset:offset + 8])
        chunk = blob[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        offset += 12 + length
    width, height, depth, colour_type = header[0], header[1], header[2], header[3]
    if depth != 8 or colour_type not in (2, 6):
        raise ValueError("only 8-bit RGB/RGBA PNGs are supported, got depth %d type %d" % (depth, colour_type))
    channels = 3 if colour_type == 2 else 4
    stride = width * channels
    raw = zlib.decompress(b"".join(idat))
    previous = bytearray(stride)
    colours, non_white = set(), 0
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, up_left)) & 0xFF
        # Sample every 4th pixel: enough to tell a drawn page from a blank one, and much faster.
        for x in range(0, width, 4):
            pixel = bytes(line[x * channels:x * channels + 3])
            colours.add(pixel)
            if pixel != b"\xff\xff\xff":
                non_white += 1
        previous = line
    sampled = height * len(range(0, width, 4))
    return {"width": width, "height": height, "colours": len(colours), "non_white": non_white / float(sampled)}
