# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts from the API fact sheet, written down apart from the code so that tests check the code
against them rather than against itself."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# Region name -> API domain (API host api.<domain>, login host login.<domain>).
REGIONS = {
    "us-east-1": "mypurecloud.com", "us-east-2": "use2.us-gov-pure.cloud", "us-west-2": "usw2.pure.cloud",
    "ca-central-1": "cac1.pure.cloud", "sa-east-1": "sae1.pure.cloud", "mx-central-1": "mxc1.pure.cloud",
    "eu-west-1": "mypurecloud.ie", "eu-west-2": "euw2.pure.cloud", "me-central-1": "mec1.pure.cloud",
    "ap-northeast-2": "apne2.pure.cloud", "ap-northeast-3": "apne3.pure.cloud", "ap-south-1": "aps1.pure.cloud",
    "ap-southeast-1": "apse1.pure.cloud", "ap-southeast-2": "mypurecloud.com.au",
    "ap-northeast-1": "mypurecloud.jp", "eu-central-1": "mypurecloud.de", "eu-central-2": "euc2.pure.cloud",
    "eusc-de-east-1": "edee1.eusc-pure.cloud",
}
