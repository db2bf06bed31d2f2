# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reports' templates: where they are, what autoescape does with a value, and the compiled templates kept
between runs (used when there, never in the way when they cannot be)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import os
import tempfile

import jinja2
import pytest

from jinja2.bccache import bc_magic

from ansible_collections.genesyscloud.cx.plugins.filter.timeout_report import timeout_report
from ansible_collections.genesyscloud.cx.plugins.plugin_utils import _report_templates
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_html import render_html, render_html_pieces
from ansible_collections.genesyscloud.cx.plugins.plugin_utils._report_markdown import render_markdown

from tests.unit.plugins.filter.conftest import WHEN, XSS, action, result


def _report():
    actions = [action("custom_-_1", XSS, 2), action("custom_-_2", "Get order's status", 3)]
    results = [result("custom_-_1", XSS, "updated", 2, 10, 1, 2), result("custom_-_2", "Get order's status", "updated", 3, 10, 1, 2)]
    return timeout_report(actions, results, org="prod", mode="remediate", generated_at=WHEN, run_id="r1")


@pytest.fixture
def fresh_environments(monkeypatch, tmp_path):
    """Environments made anew, with Jinja2's cache folder under ``tmp_path``."""
    monkeypatch.setattr(_report_templates, "_ENVIRONMENTS", {})
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _cache_files(folder):
    return glob.glob(os.path.join(str(folder), "_jinja2-cache-*", "__jinja2_*.cache"))


def test_every_template_is_in_the_folder_the_collection_installs():
    names = sorted(os.listdir(_report_templates.TEMPLATES))
    assert os.path.dirname(_report_templates.TEMPLATES) == os.path.dirname(os.path.abspath(_report_templates.__file__))
    assert {"page.html", "org.html", "totals.html", "charts.html", "style.css", "report.md", "org.md"} <= set(names)


def test_autoescape_writes_the_entities_html_escape_writes():
    page = render_html("org", _report())
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Get order&#x27;s status" in page
    assert "&#34;" not in page and "&#39;" not in page and "<script>" not in page
    # A macro's output is markup already: written as it is, not escaped twice.
    assert '<span class="badge s-updated">updated</span>' in page


def test_the_markdown_is_not_html_escaped():
    text = render_markdown("org", _report())
    assert "Get order's status" in text and "&#x27;" not in text and "&lt;" not in text
    assert "\\<script\\>" in text  # the cell filter's own escaping


def test_compiled_templates_are_kept_and_used_by_the_next_process(fresh_environments, monkeypatch):
    page = render_html("org", _report())
    text = render_markdown("org", _report())
    kept = _cache_files(fresh_environments)
    assert len(kept) >= 10  # every template of both reports
    # The next process: new environments, and any attempt to compile a template fails the test.
    monkeypatch.setattr(_report_templates, "_ENVIRONMENTS", {})

    def no_compiling(*args, **kwargs):
        raise AssertionError("a template was compiled again")
    monkeypatch.setattr(jinja2.Environment, "compile", no_compiling)
    assert render_html("org", _report()) == page
    assert render_markdown("org", _report()) == text


def test_a_damaged_cache_file_is_compiled_again(fresh_environments, monkeypatch):
    page = render_html("org", _report())
    for path in _cache_files(fresh_environments):
        with open(path, "rb") as stream:
            head = stream.read(len(bc_magic) + 3)
        with open(path, "wb") as stream:
            stream.write(head)  # Jinja2's header and a few bytes of the checksum: cut off while written
    monkeypatch.setattr(_report_templates, "_ENVIRONMENTS", {})
    assert render_html("org", _report()) == page


def test_no_cache_folder_can_be_made_and_the_reports_still_render(fresh_environments, monkeypatch):
    not_a_folder = fresh_environments / "a-file"
    not_a_folder.write_text(u"")
    monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
    page = render_html("org", _report())
    assert "Get order&#x27;s status" in page
    assert render_markdown("org", _report()).startswith("# Data action timeouts: prod\n")
    assert not _cache_files(fresh_environments)


def test_a_large_page_comes_in_pieces_the_writer_never_holds_whole():
    count = 6000
    actions = [action("custom_-_%05d" % i, "Action %05d" % i, 1 + i % 3) for i in range(count)]
    results = [result(a["id"], a["name"], "updated", a["timeout_seconds"], 10, 1, 2) for a in actions]
    report = timeout_report(actions, results, org="big", mode="remediate", generated_at=WHEN, run_id="r")
    pieces = list(render_html_pieces("org", report))
    page = "".join(pieces)
    assert page.count("<tr>") >= 2 * count  # the changes table and the table of every action
    # A piece is at most about 64 KiB of markup, plus one list of 500 rows of a table.
    assert len(pieces) > 20 and max(len(piece) for piece in pieces) < 400000
