# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The example inventory works as its README says: every org's vault file opens with the documented
example password and holds the variable the inventory maps to genesyscloud_client_secret."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import os

import yaml
from ansible.parsing.vault import VaultLib, VaultSecret

INVENTORY = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'playbooks', 'inventory')
EXAMPLE_PASSWORD = b'example-only-change-me'  # documented in playbooks/README.md


def test_every_org_has_a_vault_file_the_example_password_opens():
    with open(os.path.join(INVENTORY, 'orgs.yml')) as handle:
        inventory = yaml.safe_load(handle)
    orgs = set()
    for group in inventory['all']['children'].values():
        orgs.update(group['hosts'])
    assert inventory['all']['vars']['genesyscloud_client_secret'] == '{{ vault_genesyscloud_client_secret }}'
    vault = VaultLib([('default', VaultSecret(EXAMPLE_PASSWORD))])
    found = set()
    for path in glob.glob(os.path.join(INVENTORY, 'host_vars', '*', 'vault.yml')):
        with open(path, 'rb') as handle:
            data = handle.read()
        assert data.startswith(b'$ANSIBLE_VAULT;'), path  # never committed in clear text
        content = yaml.safe_load(vault.decrypt(data))
        assert content['vault_genesyscloud_client_secret'], path
        found.add(os.path.basename(os.path.dirname(path)))
    assert found == orgs
