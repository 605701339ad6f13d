"""One line of JSON per request the fuzz run sends, appended to $DROVER_FUZZ_LOG.

Both halves of the run (schemathesis through fuzz_hooks.py, and edge_cases.py) write here, so fuzz_run.py
counts requests, 5xx answers and hangs from one file, whichever tool sent them. A failing
request (5xx, timeout, dropped connection) is written with what reproduces it: a curl command and the start of the
answer.
"""
import collections
import json
import os
import threading

_LOCK = threading.Lock()
_FILE = None
BODY_CHARS = 2000
# After this many hangs of one operation its further requests are skipped (and logged as skipped): a service that
# stopped answering would otherwise make the run last hours at 5 s a request, and its hangs are reported already.
HANG_LIMIT = int(os.environ.get("DROVER_FUZZ_HANG_LIMIT", "2"))
_hangs = None


def _file():
    global _FILE
    if _FILE is None:
        _FILE = open(os.environ["DROVER_FUZZ_LOG"], "a", encoding="utf-8", buffering=1)
    return _FILE


def _hang_counts():
    """Hangs per operation so far, the earlier half of the run (another process) included."""
    global _hangs
    if _hangs is None:
        _hangs = collections.Counter()
        path = os.environ["DROVER_FUZZ_LOG"]
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    e = json.loads(line)
                    if e.get("error") == "timeout":
                        _hangs[e["op"]] += 1
    return _hangs


def hung_too_often(operation):
    with _LOCK:
        return _hang_counts()[operation] >= HANG_LIMIT


def skipped(source, operation, case=None):
    """Logs a request not sent because its operation hung HANG_LIMIT times already."""
    entry = {"src": source, "op": operation, "skipped": True}
    if case:
        entry["case"] = case
    with _LOCK:
        _file().write(json.dumps(entry, ensure_ascii=True) + "\n")


def failed(status, error):
    return error is not None or (status is not None and status >= 500)


def record(source, operation, status, millis, error=None, case=None, curl=None, body=None):
    """Appends one request: who sent it, `METHOD /path/template`, status (None when no answer), time taken."""
    entry = {"src": source, "op": operation, "status": status, "ms": round(millis, 1)}
    if case:
        entry["case"] = case
    if failed(status, error):
        entry["error"] = error
        entry["curl"] = curl
        if body is not None:
            entry["body"] = body[:BODY_CHARS]
    line = json.dumps(entry, ensure_ascii=True)
    with _LOCK:
        if error == "timeout":
            _hang_counts()[operation] += 1
        _file().write(line + "\n")
