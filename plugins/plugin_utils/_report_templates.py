# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release. The filters timeout_report_html and timeout_report_markdown are the public interface.

"""The Jinja2 environments the reports are rendered with: their templates (report_templates/, installed with the
collection beside this file), the HTML's autoescape, and the compiled templates kept between runs."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re

from html import escape as _html_escape

import jinja2

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report_templates")

# What HTML escapes; most values (ids, numbers, times) hold none, and a search is cheaper than five replaces.
_special = re.compile(r"[&<>\"']").search


def _escape(value):
    """The HTML autoescape: html.escape's entities (&quot; and &#x27;, as the pages have always written them), and a
    value with nothing to escape used as it is. Markup (a macro's output) stays as it is."""
    # Exactly str (a Markup, a str subclass, has __html__): the cheapest test for the values that make up a page.
    if value.__class__ is not str:
        html = getattr(value, "__html__", None)
        if html is not None:
            return html()
        value = str(value)
    return _html_escape(value, quote=True) if _special(value) else value


class _HtmlTemplate(jinja2.Template):
    """A template of the HTML report, whose autoescape calls ``_escape``.

    A compiled template escapes each value with the ``escape`` of its own module's globals: Jinja2's (markupsafe's)
    wraps every value in a new Markup, which made the page of a 10,000-action org twice as slow to render as the
    string code it replaced. Should a Jinja2 release compile templates otherwise, this changes nothing and
    markupsafe escapes every value (its entities are &#34; and &#39;).
    """

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super(_HtmlTemplate, cls).from_code(environment, code, globals, uptodate)
        if "escape" in template.root_render_func.__globals__:
            template.root_render_func.__globals__["escape"] = _escape
        return template


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, in Jinja2's own per-user folder of the temporary directory (created
    0700, its owner checked): compiling the HTML templates takes longer than rendering a large org's page, and each
    task's worker is a new process. A cache that cannot be read or written is no cache: the templates compile."""

    def load_bytecode(self, bucket):
        try:
            super(_CompiledTemplates, self).load_bytecode(bucket)
        except Exception:  # unreadable, truncated or not a cache file at all (pickle and marshal raise many kinds)
            bucket.reset()

    def dump_bytecode(self, bucket):
        try:
            super(_CompiledTemplates, self).dump_bytecode(bucket)
        except (OSError, IOError):
            pass


def _compiled_templates():
    try:
        return _CompiledTemplates()
    except (RuntimeError, OSError, IOError):  # no private folder can be made in the temporary directory
        return None


_ENVIRONMENTS = {}


def report_template(name, filters):
    """The template ``name`` (page.html or report.md), from one environment per kind and process; the HTML's with
    autoescape on, the Markdown's with its ``filters`` escaping what Markdown would read."""
    html = name.endswith(".html")
    environment = _ENVIRONMENTS.get(html)
    if environment is None:
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=html, auto_reload=False,
                                         trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                         bytecode_cache=_compiled_templates())
        if html:
            environment.template_class = _HtmlTemplate
        environment.filters.update(filters)
        _ENVIRONMENTS[html] = environment
    return environment.get_template(name)
