"""The API fuzz run against a running Drover: schemathesis from the served OpenAPI document, then edge_cases.py.

usage: fuzz_run.py --base-url URL --out DIR [--seed N] [--max-examples N] [--workers N] [--timeout S]
                   [--exclude REGEX] [--header 'Name: value'] [--seeds JSON]

Run by system-tests' ApiFuzzTest and by bench/run robustness with the .venv of .ci/python-env. Writes to DIR:
- requests.jsonl: every request with its status and duration (fuzzlog), failing ones with a reproducing curl;
- schemathesis.txt and junit.xml: schemathesis' own output and JUnit report;
- summary.json: {requests, fuzz_5xx, hangs, dropped, p99_ms, seconds, by_source, failures: [group]} and
  summary.md, the same for people: each distinct failure (operation, status or hang, what the answer said) once,
  with how often it happened and one command that reproduces it.
Exits 0 when the run itself worked, whatever it found: the callers decide what a finding means.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--base-url", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--seed", type=int, default=20261107)
    a.add_argument("--max-examples", type=int, default=20)
    a.add_argument("--workers", type=int, default=4)
    a.add_argument("--timeout", type=float, default=5.0)
    a.add_argument("--exclude", default="")
    a.add_argument("--header", action="append", default=[])
    a.add_argument("--seeds", default="{}")
    a.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    args = a.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = out / "requests.jsonl"
    log.unlink(missing_ok=True)
    base = args.base_url.rstrip("/")
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    env = dict(os.environ, DROVER_FUZZ_LOG=str(log), DROVER_FUZZ_TIMEOUT=str(args.timeout),
               DROVER_FUZZ_SEEDS=args.seeds, DROVER_FUZZ_EXCLUDE=args.exclude,
               DROVER_FUZZ_HEADERS=json.dumps(headers), SCHEMATHESIS_HOOKS="fuzz_hooks",
               PYTHONPATH=str(HERE) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.monotonic()
    st = [str(Path(sys.executable).parent / "schemathesis"), "--no-color", "run", base + "/api/v1/openapi.yaml",
          "--url", base,
          # the acceptance criterion: no answer >= 500 (hangs and dropped connections are counted from the log)
          "--checks", "not_a_server_error",
          "--phases", args.phases, "--mode", "all", "--seed", str(args.seed),
          "--max-examples", str(args.max_examples), "--request-timeout", str(args.timeout),
          "--workers", str(args.workers), "--generation-allow-x00", "true", "--suppress-health-check", "all",
          # every failure, not the first of each operation; shrinking would resend failing cases many times
          "--no-shrink", "--continue-on-failure", "--warnings", "off",
          # no replay of earlier runs' failures: the same seed sends the same requests on every machine
          "--generation-database", "none",
          "--report", "junit", "--report-junit-path", str(out / "junit.xml")]
    if args.exclude:
        st += ["--exclude-operation-id-regex", args.exclude]
    for h in args.header:
        st += ["-H", h]
    with open(out / "schemathesis.txt", "w", encoding="utf-8") as st_out:
        print("fuzz_run: " + " ".join(st), file=sys.stderr)
        code = subprocess.run(st, env=env, stdout=st_out, stderr=subprocess.STDOUT, cwd=out).returncode
    # 1: failures found (our findings); anything else: schemathesis could not run
    if code not in (0, 1):
        print(f"fuzz_run: schemathesis exited {code}; see {out / 'schemathesis.txt'}", file=sys.stderr)
        sys.exit(code)
    st_seconds = time.monotonic() - started
    code = subprocess.run([sys.executable, str(HERE / "edge_cases.py"), base], env=env).returncode
    if code != 0:
        print(f"fuzz_run: edge_cases.py exited {code}", file=sys.stderr)
        sys.exit(code)
    summary = summarize(log, time.monotonic() - started)
    summary["schemathesis_seconds"] = round(st_seconds, 1)
    (out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    (out / "summary.md").write_text(markdown(summary, out), encoding="utf-8")
    print(f"fuzz_run: {summary['requests']} requests ({summary['skipped']} skipped after hangs), "
          f"{summary['fuzz_5xx']} answers >= 500, {summary['hangs']} hangs,"
          f" {summary['dropped']} dropped connections, p99 {summary['p99_ms']} ms, {summary['seconds']} s;"
          f" {len(summary['failures'])} distinct failures in {out / 'summary.md'}", file=sys.stderr)


def what(entry):
    """What a failing answer said, without the parts that differ between requests of one kind (ids, numbers)."""
    if entry.get("error"):
        return "no answer within the timeout" if entry["error"] == "timeout" else "connection dropped: " + \
            (entry.get("body") or "")[:120]
    body = entry.get("body") or ""
    try:
        parsed = json.loads(body)
        text = parsed.get("message") or parsed.get("error") or body if isinstance(parsed, dict) else body
    except ValueError:
        text = body
    text = re.sub(r"'[^']*'", "'…'", str(text))
    text = re.sub(r"\"[^\"]*\"", "\"…\"", text)
    text = re.sub(r"\d+", "N", text)
    return text[:160]


def summarize(log, seconds):
    logged = [json.loads(line) for line in open(log, encoding="utf-8")] if log.exists() else []
    entries = [e for e in logged if not e.get("skipped")]
    skipped = collections.Counter(e["op"] for e in logged if e.get("skipped"))
    times = sorted(e["ms"] for e in entries)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0
    groups = collections.OrderedDict()
    for e in entries:
        failed = e.get("error") is not None or (e.get("status") or 0) >= 500
        if not failed:
            continue
        key = (e["op"], e.get("status") or e.get("error"), what(e))
        g = groups.setdefault(key, {"operation": e["op"], "status": e.get("status"), "error": e.get("error"),
                                    "what": key[2], "count": 0, "cases": [], "curl": e.get("curl"),
                                    "body": e.get("body"), "source": e["src"]})
        g["count"] += 1
        if e.get("case") and len(g["cases"]) < 10 and e["case"] not in g["cases"]:
            g["cases"].append(e["case"])
    return {
        "requests": len(entries),
        "fuzz_5xx": sum(1 for e in entries if (e.get("status") or 0) >= 500),
        "hangs": sum(1 for e in entries if e.get("error") == "timeout"),
        "dropped": sum(1 for e in entries if e.get("error") == "connection"),
        "p99_ms": round(p99),
        "seconds": round(seconds, 1),
        "by_source": dict(collections.Counter(e["src"] for e in entries)),
        "skipped": sum(skipped.values()),
        "skipped_operations": dict(skipped),
        "failures": sorted(groups.values(), key=lambda g: (g["operation"], str(g["status"] or g["error"]))),
    }


def markdown(s, out):
    lines = [f"# API fuzz run: {s['requests']} requests, {s['fuzz_5xx']} answers >= 500, {s['hangs']} hangs, "
             f"{s['dropped']} dropped connections", "",
             f"p99 {s['p99_ms']} ms; {s['seconds']} s ({s['schemathesis_seconds']} s schemathesis, the rest "
             f"edge_cases.py); requests by source {s['by_source']}; {s['skipped']} requests not sent because their "
             f"operation had hung twice already: {s['skipped_operations']}. Every request: `{out / 'requests.jsonl'}`; "
             "schemathesis' output: `schemathesis.txt`; the server's log: the test's output file "
             "(target/surefire-reports/*ApiFuzzTest-output.txt).", ""]
    for i, g in enumerate(s["failures"], 1):
        lines += [f"## {i}. {g['operation']} → {g['status'] or g['error']} ({g['count']}×, {g['source']})", "",
                  f"What: {g['what']}", ""]
        if g["cases"]:
            lines += ["Inputs: " + ", ".join(g["cases"]), ""]
        lines += ["```", g["curl"] or "", "```", ""]
        if g["body"]:
            lines += ["Answer:", "```", g["body"][:1500], "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
