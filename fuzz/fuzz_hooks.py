"""Schemathesis hooks of the API fuzz run (loaded through SCHEMATHESIS_HOOKS=fuzz_hooks).

- Every request is logged with its status and duration (fuzzlog), a request that got no answer too, as a hang when
  it ran into --request-timeout, else as a dropped connection. An operation that hung twice gets no more requests.
- A third of the generated path and query values that name a pipeline, run, model, alias, ... are replaced by the
  ones ApiFuzzTest created before the run ($DROVER_FUZZ_SEEDS), so that generated writes also reach existing
  resources instead of stopping at 404. The choice is a hash of the generated value: the same seed gives the same run.
- Webhook URLs in generated monitor policies are pointed at a closed port on loopback: the fuzz run must not make the
  monitor post alerts to whatever host the generator made up.
"""
import json
import os
import threading
import time
import zlib

import schemathesis

import fuzzlog

TIMEOUT = float(os.environ.get("DROVER_FUZZ_TIMEOUT", "5"))
SEEDS = json.loads(os.environ.get("DROVER_FUZZ_SEEDS", "{}"))
SAFE_WEBHOOK = "http://127.0.0.1:9/fuzz-webhook"
_started = threading.local()


def _seeded(values):
    if not isinstance(values, dict):
        return values  # negative mode also sends no container at all
    out = dict(values)
    for key, value in values.items():
        if key in SEEDS and zlib.crc32(repr((key, value)).encode("utf-8", "surrogatepass")) % 3 == 0:
            out[key] = SEEDS[key]
    return out


@schemathesis.hook
def map_path_parameters(context, path_parameters):
    return _seeded(path_parameters)


@schemathesis.hook
def map_query(context, query):
    return _seeded(query)


@schemathesis.hook
def map_body(context, body):
    if isinstance(body, dict) and isinstance(body.get("webhooks"), list):
        body = dict(body)
        body["webhooks"] = [dict(h, url=SAFE_WEBHOOK) if isinstance(h, dict) else h for h in body["webhooks"]]
    return body


class OperationHangs(Exception):
    """Raised instead of sending a request of an operation that hung fuzzlog.HANG_LIMIT times already."""


@schemathesis.hook
def before_call(context, case, kwargs):
    if fuzzlog.hung_too_often(_label(case)):
        fuzzlog.skipped("schemathesis", _label(case))
        raise OperationHangs(f"{_label(case)} hung {fuzzlog.HANG_LIMIT} times: its further requests are skipped")
    _started.t0 = time.monotonic()


def _elapsed_ms():
    return (time.monotonic() - getattr(_started, "t0", time.monotonic())) * 1000


def _label(case):
    return f"{case.method.upper()} {case.path}"


def _curl(case):
    try:
        return case.as_curl_command()
    except Exception as e:  # noqa: BLE001 - a case curl cannot express (e.g. bytes) is still worth logging
        return f"<no curl: {e}>"


@schemathesis.hook
def after_call(context, case, response):
    status = response.status_code
    body = None
    if status >= 500:
        body = response.content.decode("utf-8", "replace")
    fuzzlog.record("schemathesis", _label(case), status, _elapsed_ms(), case=None,
                   curl=_curl(case) if status >= 500 else None, body=body)


@schemathesis.hook
def after_network_error(context, case, request):
    ms = _elapsed_ms()
    error = "timeout" if ms >= TIMEOUT * 1000 * 0.95 else "connection"
    fuzzlog.record("schemathesis", _label(case), None, ms, error=error, curl=_curl(case))
