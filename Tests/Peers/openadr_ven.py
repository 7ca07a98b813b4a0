#!/usr/bin/env python3
"""OpenADR 3.1 VEN peer built on ElaadNL's openadr3-client, for testing FlexDispatch's VTN.

Run it with the interpreter of `.venv-openadr` (Python >= 3.12, openadr3-client pinned there).
It uses only the client's public API, never raw HTTP:

  1. obtains a token (client credentials; token URL given, or discovered via GET /auth/server),
  2. looks its VEN up by name (GET /vens?venName=...) and registers it if absent (POST /vens),
  3. lists programs (GET /programs) and the events of each (GET /events?programID=...),
  4. optionally creates a webhook subscription (POST /subscriptions) when --callback-url is given,
  5. posts one USAGE report (POST /reports) for the first event that has intervals,

then prints one JSON object on stdout summarising what it saw. On any failure it prints the
reason on stderr and exits non-zero (2 for usage errors, 1 for everything else).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True, help="VTN base URL, e.g. http://127.0.0.1:8080")
    p.add_argument("--token-url", default=None, help="OAuth2 token endpoint; discovered via GET /auth/server when omitted")
    p.add_argument("--client-id", required=True)
    p.add_argument("--client-secret", required=True)
    p.add_argument("--ven-name", required=True)
    p.add_argument("--scopes", default="", help="space- or comma-separated scopes to request (default: none)")
    p.add_argument("--program-name", default=None, help="only look at the program with this name")
    p.add_argument("--resource-name", default="METER-1", help="resource name used in the report")
    p.add_argument("--usage", default="1.5,2.25,0.75", help="comma-separated USAGE values (kWh), one interval each")
    p.add_argument("--callback-url", default=None, help="if set, also subscribe to EVENT create/update/delete with this webhook URL")
    p.add_argument("--ca-file", default=None, help="CA bundle (PEM) to trust for an https VTN")
    p.add_argument("--verbose", action="store_true", help="log the client's HTTP traffic on stderr")
    return p.parse_args(argv)


def fail(message: str, code: int = 1) -> None:
    print(f"openadr_ven: {message}", file=sys.stderr)
    sys.exit(code)


def is_loopback_http(url: str) -> bool:
    u = urlparse(url)
    return u.scheme == "http" and (u.hostname in ("localhost", "::1") or (u.hostname or "").startswith("127."))


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat().replace("+00:00", "Z")


def iso_duration(td: timedelta | None) -> str | None:
    if td is None:
        return None
    from pydantic import TypeAdapter  # the client's own (pydantic) ISO 8601 rendering

    return json.loads(TypeAdapter(timedelta).dump_json(td))


def plain(value):  # payload values may be numbers, strings, booleans or points
    if hasattr(value, "x") and hasattr(value, "y"):
        return {"x": value.x, "y": value.y}
    return value


def summarize_event(ev) -> dict:
    default = ev.interval_period
    intervals = []
    for position, iv in enumerate(ev.intervals or ()):
        own = iv.interval_period
        # An interval without its own intervalPeriod takes the event's: consecutive slots of
        # `duration` from the event's start, in list order.
        if own is not None:
            start, duration = own.start, own.duration
        elif default is not None:
            start, duration = default.start + position * default.duration, default.duration
        else:
            start = duration = None
        intervals.append({
            "id": iv.id,
            "ownIntervalPeriod": own is not None,
            "start": iso(start),
            "duration": iso_duration(duration),
            "payloads": {str(pl.type): [plain(v) for v in pl.values] for pl in iv.payloads},
        })
    payload_types = sorted({str(d.payload_type) for d in ev.payload_descriptors or ()}
                           | {t for iv in intervals for t in iv["payloads"]})
    return {
        "id": ev.id,
        "programID": ev.program_id,
        "eventName": ev.event_name,
        "priority": ev.priority,
        "targets": list(ev.targets) if ev.targets else None,
        "payloadTypes": payload_types,
        "payloadDescriptors": [
            {"payloadType": str(d.payload_type), "units": None if d.units is None else str(d.units),
             "currency": None if d.currency is None else str(d.currency)}
            for d in ev.payload_descriptors or ()
        ],
        "intervalPeriod": None if default is None else {"start": iso(default.start), "duration": iso_duration(default.duration)},
        "intervals": intervals,
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        usage = [float(x) for x in args.usage.split(",") if x.strip()]
    except ValueError:
        fail(f"--usage must be comma-separated numbers, got {args.usage!r}", 2)
    if not usage:
        fail("--usage needs at least one value", 2)

    # openadr3-client enforces HTTPS for OpenADR 3.1 unless allow_insecure_http=True, and oauthlib refuses a
    # plain-http token endpoint unless OAUTHLIB_INSECURE_TRANSPORT is set. Allow both only on loopback.
    insecure = is_loopback_http(args.url)
    if args.token_url is not None and urlparse(args.token_url).scheme == "http" and not is_loopback_http(args.token_url):
        fail("refusing a plain-http token URL that is not on loopback", 2)
    if insecure or (args.token_url and is_loopback_http(args.token_url)):
        os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
    if args.ca_file:
        os.environ["REQUESTS_CA_BUNDLE"] = args.ca_file  # also used by the token request, which ignores `verify`

    if args.verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)

    from openadr3_client.oadr310.models.report.report import NewReport, ReportResource
    from openadr3_client.oadr310.models.report.report_payload import ReportPayload, ReportPayloadType
    from openadr3_client.oadr310.models.subscriptions.subscription import NewSubscription, Object, ObjectOperation, Operation
    from openadr3_client.oadr310.models.ven.ven import NewVenVenRequest
    from openadr3_client.oadr310.models.event.event import Interval  # re-exported where the README shows it
    from openadr3_client.oadr310.models.program.program import IntervalPeriod
    from openadr3_client.ven.http_factory import VirtualEndNodeHttpClientFactory
    from openadr3_client.version import OADRVersion

    scopes = [s for s in args.scopes.replace(",", " ").split() if s] or None
    client = VirtualEndNodeHttpClientFactory.create_http_ven_client(
        vtn_base_url=args.url.rstrip("/"),
        client_id=args.client_id,
        client_secret=args.client_secret,
        token_url=args.token_url,
        scopes=scopes,
        verify_vtn_tls_certificate=Path(args.ca_file) if args.ca_file else True,
        allow_insecure_http=insecure,
        version=OADRVersion.OADR_310,
    )

    # 1-2. registration: reuse the VEN of this name if the VTN already knows it.
    existing = client.vens.get_vens(ven_name=args.ven_name, target=None, pagination=None)
    mine = [v for v in existing if v.ven_name == args.ven_name]
    if mine:
        ven, ven_created = mine[0], False
    else:
        ven, ven_created = client.vens.create_ven(NewVenVenRequest(ven_name=args.ven_name)), True

    # 3. programs and their events.
    programs = client.programs.get_programs(target=None, pagination=None)
    if args.program_name is not None:
        programs = tuple(p for p in programs if p.program_name == args.program_name)
        if not programs:
            fail(f"no program named {args.program_name!r} on the VTN")
    events = []
    for prog in programs:
        events.extend(client.events.get_events(target=None, pagination=None, program_id=prog.id))

    # 4. optional webhook subscription.
    subscription = None
    if args.callback_url:
        sub = client.subscriptions.create_subscription(NewSubscription(
            client_name=args.ven_name,
            program_id=programs[0].id if programs else None,
            object_operations=(ObjectOperation(
                objects=(Object.EVENT,),
                operations=(Operation.POST, Operation.PUT, Operation.DELETE),
                callback_url=args.callback_url,
                bearer_token=None,
            ),),
        ))
        subscription = {"id": sub.id, "programID": sub.program_id}

    # 5. one USAGE report for the first event that carries intervals.
    target_event = next((e for e in events if e.intervals), None)
    report = None
    if target_event is not None:
        period = target_event.interval_period
        start = period.start if period is not None else datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        step = period.duration if period is not None and period.duration > timedelta(0) else timedelta(hours=1)
        new_report = NewReport(
            event_id=target_event.id,
            client_name=args.ven_name,
            report_name=f"{args.ven_name}-usage",
            resources=(ReportResource(
                resource_name=args.resource_name,
                interval_period=IntervalPeriod(start=start, duration=step),
                intervals=tuple(
                    Interval[ReportPayload](
                        id=i,
                        interval_period=IntervalPeriod(start=start + i * step, duration=step),
                        payloads=(ReportPayload(type=ReportPayloadType.USAGE, values=(value,)),),
                    )
                    for i, value in enumerate(usage)
                ),
            ),),
        )
        created = client.reports.create_report(new_report)
        report = {
            "id": created.id,
            "eventID": created.event_id,
            "clientID": created.client_id,
            "resourceName": args.resource_name,
            "usage": usage,
        }

    summary = {
        "ven": {"id": ven.id, "venName": ven.ven_name, "clientID": ven.client_id, "created": ven_created},
        "programs": [
            {"id": p.id, "programName": p.program_name,
             "payloadTypes": sorted(str(d.payload_type) for d in p.payload_descriptors or ())}
            for p in programs
        ],
        "programNames": [p.program_name for p in programs],
        "events": [summarize_event(e) for e in events],
        "subscription": subscription,
        "report": report,
        "reportID": report["id"] if report else None,
    }
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - a test peer reports every failure the same way
        detail = ""
        response = getattr(exc, "response", None)
        if response is not None:
            detail = f" (HTTP {response.status_code} {response.request.method} {response.url}: {response.text[:500]})"
        fail(f"{type(exc).__name__}: {exc}{detail}")
