# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""python -m tests.emulator: start the Genesys Cloud API emulator (see tests/emulator/README.md)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import asyncio
import gc
import random
import signal
import ssl
import sys

from aiohttp import web

from . import analytics, dependencies
from .app import CONFLICT_WORDINGS, PATCH_ANSWERS, TOKEN_THROTTLE_FIELDS, Emulator, check_forbidden_routes
from .faults import RATE_WINDOWS, FaultPlan, SpecError, parse_rate_limit
from .world import SeedError, default_world, generate_actions, load_seed_file


def _parser():
    parser = argparse.ArgumentParser(prog="python -m tests.emulator",
                                     description="Local emulator of the Genesys Cloud data-action API.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one")
    parser.add_argument("--seed", help="JSON seed file (orgs, clients, integrations, actions)")
    parser.add_argument("--generate", type=int, default=0, metavar="N",
                        help="add N generated actions to the default org (or to the seed's only org)")
    parser.add_argument("--random-seed", type=int, default=0, help="makes generation and faults reproducible")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every API request")
    parser.add_argument("--rate-limit", default="", metavar="N/SECONDS",
                        help="per-token request limit (beyond it: 429 too.many.requests.retry.after)")
    parser.add_argument("--org-rate-limit", default="", metavar="N/SECONDS",
                        help="per-org request limit across all the org's tokens, enforced with --rate-limit")
    parser.add_argument("--rate-window", choices=RATE_WINDOWS, default="sliding",
                        help="how --rate-limit and --org-rate-limit count: any SECONDS-long span (sliding, the "
                             "default) or a fixed window from a key's first request")
    parser.add_argument("--count-refused", action="store_true",
                        help="a request refused with 429 counts against the limits too (default: it does not)")
    parser.add_argument("--token-rate-limit", default="", metavar="N/SECONDS",
                        help="per-client token-creation limit (beyond it: 400 invalid_request)")
    parser.add_argument("--faults", default="", metavar="SPEC", help="e.g. 429=0.05,503=0.02,drop=0.01,slow=0.1:1500")
    parser.add_argument("--patch-semantics", choices=("replace", "merge"), default="replace",
                        help="how PATCH treats config (default replace)")
    parser.add_argument("--conflict-status", type=int, choices=(409, 400), default=409,
                        help="status of a version conflict (default 409)")
    parser.add_argument("--templates-by-uri", type=float, default=0.0, metavar="SHARE",
                        help="share (0..1) of custom actions listed and read with requestTemplateUri / "
                             "successTemplateUri instead of inline templates; when above 0, a PATCH whose config "
                             "lacks an inline template resets it to the platform default (default 0)")
    parser.add_argument("--pending-drafts", type=float, default=0.0, metavar="SHARE",
                        help="share (0..1) of custom actions that start with a pending draft whose config holds an "
                             "older timeout (default 0)")
    parser.add_argument("--conflict-wording", choices=CONFLICT_WORDINGS, default="a",
                        help="sentence and code of a version conflict: a 'Version 3 does not match the current "
                             "version (4) ...', b 'Action version 3 is stale; the latest version is 4.' with code "
                             "version.mismatch (default a)")
    parser.add_argument("--patch-answer", choices=PATCH_ANSWERS, default="with-config",
                        help="whether the answer to a PATCH (and a draft PATCH) carries config (default with-config)")
    parser.add_argument("--token-throttle-field", choices=TOKEN_THROTTLE_FIELDS, default="both",
                        help="which OAuth error field says 'rate limit exceeded; ...' when token creation is "
                             "throttled (default both)")
    parser.add_argument("--omit-retry-after", action="store_true",
                        help="answer every 429 without the Retry-After header (the message still says the seconds)")
    parser.add_argument("--omit-retry-seconds", action="store_true",
                        help="answer every 429 without Retry-After and without the seconds in its message")
    parser.add_argument("--token-ttl", type=float, default=86400, metavar="SECONDS",
                        help="token lifetime (default 86400)")
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="scales simulated backend latency of test/execute (default 1.0)")
    parser.add_argument("--unset-timeout-seconds", type=int, default=60,
                        help="timeout applied when timeoutSeconds is unset, to test/execute and to the "
                             "seeded history's cut-off (default 60, the documented platform default)")
    analytics.add_arguments(parser)
    dependencies.add_arguments(parser)
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a generated self-signed CA")
    parser.add_argument("--tls-cert-out", metavar="PATH", help="with --tls: write the CA certificate (PEM) here")
    return parser


def _tls_context(cert_out):
    import trustme  # dev dependency, only needed for --tls

    authority = trustme.CA()
    leaf = authority.issue_cert("127.0.0.1", "localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf.configure_cert(context)
    if cert_out:
        authority.cert_pem.write_to_path(cert_out)
    return context


async def _serve(options, world):
    emulator = Emulator(world, options)
    app = emulator.build_app()
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    context = _tls_context(options.tls_cert_out) if options.tls else None
    site = web.TCPSite(runner, options.host, options.port, ssl_context=context, backlog=1024)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    scheme = "https" if options.tls else "http"
    sys.stdout.write("listening on %s://%s:%d\n" % (scheme, options.host, port))
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv=None):
    parser = _parser()
    options = parser.parse_args(argv)
    try:
        FaultPlan(options.faults)
        parse_rate_limit(options.rate_limit)
        parse_rate_limit(options.org_rate_limit)
        parse_rate_limit(options.token_rate_limit)
    except SpecError as exc:
        parser.error(str(exc))
    if options.tls_cert_out and not options.tls:
        parser.error("--tls-cert-out needs --tls")
    if options.token_ttl <= 0 or options.time_scale < 0 or options.latency_ms < 0 or options.generate < 0:
        parser.error("--token-ttl must be > 0; --time-scale, --latency-ms and --generate must be >= 0")
    if not 0 <= options.templates_by_uri <= 1 or not 0 <= options.pending_drafts <= 1:
        parser.error("--templates-by-uri and --pending-drafts must be a share between 0 and 1")
    analytics.check_arguments(parser, options)
    if not 1 <= options.unset_timeout_seconds <= 3600:
        parser.error("--unset-timeout-seconds must be between 1 and 3600")
    try:
        if options.seed:
            world = load_seed_file(options.seed, options.random_seed, options.unset_timeout_seconds)
            if options.generate:
                if len(world.orgs) != 1:
                    parser.error("--generate with a multi-org seed: use 'generate' per org in the seed")
                org = next(iter(world.orgs.values()))
                generate_actions(org, options.generate, random.Random("cli/%s" % options.random_seed),
                                 unset_timeout_seconds=options.unset_timeout_seconds)
        else:
            world = default_world(options.generate, options.random_seed, options.unset_timeout_seconds)
        check_forbidden_routes(world)
    except SeedError as exc:
        parser.error(str(exc))
    # The world lives as long as the process: keep the cyclic collector from rescanning it on every pass.
    gc.freeze()
    try:
        asyncio.run(_serve(options, world))
    except OSError as exc:
        sys.stderr.write("cannot listen on %s:%s: %s\n" % (options.host, options.port, exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
