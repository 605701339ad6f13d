#!/usr/bin/env python3
"""Send one CloudEvent to Drover's webhook (POST /api/v1/events), using only the standard library.

    publish_event.py URL API_KEY TYPE ID DATA_JSON [--binary] [--source SOURCE] [--subject SUBJECT]

Structured mode (the default) sends the whole event as application/cloudevents+json; --binary sends the attributes
as ce-* headers and the data as an application/json body. Prints the HTTP status and the answer; exits 0 on 202.
Sending the same ID and SOURCE again never starts a second run (see docs/triggers.md).
"""
import argparse
import json
import sys
import urllib.error
import urllib.request
from datetime import datetime, timezone


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("url", help="Drover's base URL, e.g. http://localhost:8080")
    p.add_argument("api_key", help="one of drover.scheduler.events.api-keys")
    p.add_argument("type", help="the CloudEvent type, e.g. com.example.table.updated")
    p.add_argument("id", help="the event id, unique within its source")
    p.add_argument("data", help="the data, a JSON document")
    p.add_argument("--source", default="/examples/publish_event")
    p.add_argument("--subject")
    p.add_argument("--binary", action="store_true", help="binary mode instead of structured")
    a = p.parse_args()
    data = json.loads(a.data)
    attributes = {"specversion": "1.0", "id": a.id, "source": a.source, "type": a.type,
                  "time": datetime.now(timezone.utc).isoformat()}
    if a.subject:
        attributes["subject"] = a.subject
    headers = {"Authorization": "Bearer " + a.api_key}
    if a.binary:
        headers.update({"ce-" + k: v for k, v in attributes.items()})
        headers["Content-Type"] = "application/json"
        body = json.dumps(data).encode()
    else:
        headers["Content-Type"] = "application/cloudevents+json"
        body = json.dumps(dict(attributes, datacontenttype="application/json", data=data)).encode()
    request = urllib.request.Request(a.url.rstrip("/") + "/api/v1/events", data=body, headers=headers,
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            status, answer = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, answer = e.code, e.read().decode()
    print(status)
    print(answer)
    return 0 if status == 202 else 1


if __name__ == "__main__":
    sys.exit(main())
