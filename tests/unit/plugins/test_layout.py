# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's file conventions: one privacy convention in module_utils/ and plugin_utils/ (the ``_`` prefix
and the internal-use header, both or neither), and no file in plugins/ over 700 lines of code."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLUGINS = os.path.join(ROOT, "plugins")
INTERNAL_HEADER = "# FOR INTERNAL COLLECTION USE ONLY"
MAX_LINES = 700
# A module's user documentation is not code: ansible-doc renders it.
DOC_STRINGS = ("DOCUMENTATION", "EXAMPLES", "RETURN")
KNOWN_OVER = ()


def _python_files(*folders):
    for folder in folders:
        for top, dirs, names in os.walk(os.path.join(PLUGINS, folder)):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(".py") and name != "__init__.py":
                    yield os.path.join(top, name)


def _relative(path):
    return os.path.relpath(path, ROOT).replace(os.sep, "/")


def _leading_comments(text):
    """The comment lines a file opens with, before its docstring or first statement."""
    comments = []
    for line in text.splitlines():
        if line.startswith("#"):
            comments.append(line.rstrip())
        elif line.strip():
            break
    return comments


def _breaks_privacy(path):
    """Why a file breaks the convention (the ``_`` prefix exactly when the internal-use header), or None."""
    with open(path) as source:
        marked = INTERNAL_HEADER in _leading_comments(source.read())
    private = os.path.basename(path).startswith("_")
    if private and not marked:
        return "has the _ prefix but not the %r header" % INTERNAL_HEADER
    if marked and not private:
        return "has the %r header but not the _ prefix" % INTERNAL_HEADER
    return None


def _lines_of_code(path):
    """Lines of a file, its docstrings and comments included, the module documentation strings aside."""
    with open(path) as source:
        text = source.read()
    documentation = 0
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in DOC_STRINGS for t in node.targets):
            documentation += node.end_lineno - node.lineno + 1
    return len(text.splitlines()) - documentation


def test_internal_files_and_only_they_carry_the_prefix_and_the_header():
    broken = ["%s %s" % (_relative(path), _breaks_privacy(path))
              for path in _python_files("module_utils", "plugin_utils") if _breaks_privacy(path)]
    assert broken == []


def test_no_file_in_plugins_is_over_700_lines_of_code():
    over = ["%s: %d lines" % (_relative(path), _lines_of_code(path))
            for path in _python_files("") if _relative(path) not in KNOWN_OVER and _lines_of_code(path) > MAX_LINES]
    assert over == []


def test_the_checks_see_what_they_check(tmp_path):
    header = "# -*- coding: utf-8 -*-\n\n%s\n# The interfaces in this file ...\n\n\"\"\"Doc.\"\"\"\n" % INTERNAL_HEADER
    plain = "# -*- coding: utf-8 -*-\n\"\"\"Doc.\"\"\"\n# %s, said in passing\n" % INTERNAL_HEADER.lstrip("# ")
    cases = {"_marked.py": (header, None), "_bare.py": (plain, "has the _ prefix"),
             "public.py": (plain, None), "marked.py": (header, "but not the _ prefix")}
    for name, (text, problem) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        found = _breaks_privacy(str(path))
        assert (found is None) if problem is None else (problem in found), name

    module = tmp_path / "module.py"
    module.write_text('DOCUMENTATION = r"""\n%s"""\n\nEXAMPLES = """x"""\n%s' % ("doc\n" * 800, "x = 1\n" * 700))
    assert _lines_of_code(str(module)) == 701
