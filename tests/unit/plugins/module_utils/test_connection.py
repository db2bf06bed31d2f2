# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options are checked before any request: a wrong one gives a message, not a traceback."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


import pytest

from ansible_collections.genesyscloud.cx.plugins.module_utils import _connection as connection_module
from ansible_collections.genesyscloud.cx.plugins.module_utils._connection import build_client
from ansible_collections.genesyscloud.cx.plugins.module_utils.errors import InvalidInputError

PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def _params(**overrides):
    params = {"region": "eu-west-1", "client_id": "cid", "client_secret": "csecret", "access_token": None,
              "api_base_url": None, "login_base_url": None, "validate_certs": True, "ca_path": None,
              "http_timeout": 30}
    params.update(overrides)
    return params


def test_a_missing_ca_path_is_named_with_the_fix(tmp_path):
    missing = str(tmp_path / "corp-ca.pem")
    with pytest.raises(InvalidInputError) as info:
        build_client(_params(ca_path=missing))
    message = str(info.value)
    assert missing in message and "does not exist" in message and "PEM" in message


def test_a_ca_path_without_a_certificate_is_refused(tmp_path):
    der = tmp_path / "corp-ca.cer"
    der.write_bytes(b"\x30\x82\x01\x0a\x02\x82")
    with pytest.raises(InvalidInputError) as info:
        build_client(_params(ca_path=str(der)))
    assert "no PEM certificate" in str(info.value) and "openssl x509" in str(info.value)


def test_an_unreadable_ca_path_is_refused(tmp_path, monkeypatch):
    locked = tmp_path / "ca.pem"
    locked.write_text(PEM)

    def refuse(path, *args, **kwargs):
        # Root reads a file of any mode, so the refusal is the operating system's answer, played here.
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(connection_module, "open", refuse, raising=False)
    with pytest.raises(InvalidInputError) as info:
        build_client(_params(ca_path=str(locked)))
    assert "cannot be read" in str(info.value) and "Permission denied" in str(info.value)


def test_a_pem_file_or_a_directory_is_accepted(tmp_path):
    pem = tmp_path / "ca.pem"
    pem.write_text(PEM)
    assert build_client(_params(ca_path=str(pem)))._verify == str(pem)
    assert build_client(_params(ca_path=str(tmp_path)))._verify == str(tmp_path)


def test_ca_path_is_not_read_when_certificates_are_not_validated(tmp_path):
    client = build_client(_params(ca_path=str(tmp_path / "gone.pem"), validate_certs=False))
    assert client._verify is False


def test_an_unparsable_api_base_url_is_refused_before_any_request():
    with pytest.raises(InvalidInputError) as info:
        build_client(_params(api_base_url="http://[::1"))
    assert "api_base_url" in str(info.value)


def test_turning_verification_off_is_warned_about(monkeypatch):
    warned = []
    monkeypatch.setattr("ansible_collections.genesyscloud.cx.plugins.module_utils._connection.module_warn", warned.append)
    build_client(_params(validate_certs=False))
    assert len(warned) == 1
    assert "https://api.mypurecloud.ie and https://login.mypurecloud.ie" in warned[0] and "ca_path" in warned[0]
    del warned[:]
    build_client(_params(api_base_url="http://127.0.0.1:8080", validate_certs=False))  # no TLS, nothing to verify
    build_client(_params())
    assert warned == []


def test_the_warning_goes_to_the_callers_warn_when_given(monkeypatch):
    """An action plugin's worker running a module's code gets the warning through its own warn (the module's global
    warnings would stay in the worker), once, and in the caller's list as well."""
    globally, own, kept = [], [], []
    monkeypatch.setattr("ansible_collections.genesyscloud.cx.plugins.module_utils._connection.module_warn", globally.append)
    build_client(_params(validate_certs=False), warn=own.append, warnings=kept)
    assert globally == [] and len(own) == 1 and kept == own


@pytest.mark.parametrize("value", [0, -1, 100001])
def test_requests_per_minute_out_of_range_is_refused(value):
    with pytest.raises(InvalidInputError) as info:
        build_client(_params(requests_per_minute=value))
    assert "requests_per_minute must be between 1 and 100000, got %d" % value in str(info.value)


def test_requests_per_minute_sets_the_pace_and_defaults_to_the_documented_budget():
    assert build_client(_params()).rate_limit_summary()["requests_per_minute"] == 300
    assert build_client(_params(requests_per_minute=180)).rate_limit_summary()["requests_per_minute"] == 180
    spec = connection_module.connection_argument_spec()["requests_per_minute"]
    assert spec["default"] == 300 and spec["fallback"][1] == ["GENESYSCLOUD_REQUESTS_PER_MINUTE"]
