# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # Every module of the collection is in the action group genesyscloud.cx.genesyscloud.
    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/genesyscloud.cx.genesyscloud) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - genesyscloud.cx.genesyscloud
"""

    # Modules that only read: check mode runs them unchanged, and there is nothing to diff.
    INFO_MODULE = r"""
attributes:
  check_mode:
    description: Can run in check mode; the module changes nothing either way.
    support: full
  diff_mode:
    description: The module changes nothing, so there is no diff.
    support: N/A
"""

    # The report actions: files on the controller, no connection options, nothing changed in Genesys Cloud.
    REPORT_FILES = r"""
attributes:
  check_mode:
    description: Writes in check mode too - a dry run's reports are its outcome. It changes nothing in Genesys Cloud.
    support: full
  diff_mode:
    description: The files are outputs, not managed state; no diff.
    support: none
  action_group:
    description: Not in the action group C(genesyscloud.cx.genesyscloud); it takes no connection options.
    support: none
    membership: []
notes:
  - Always reports C(changed=false) - only changes in Genesys Cloud count as changes in a run's recap.
"""
