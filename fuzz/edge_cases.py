"""Inputs a schema-driven generator does not produce, sent to every operation of the OpenAPI document.

usage: edge_cases.py BASE_URL

Reads BASE_URL/api/v1/openapi.yaml and, for every operation (but those matching $DROVER_FUZZ_EXCLUDE, a regex of
operation ids), sends:
- path and query values with a NUL byte, invalid UTF-8, an overlong encoding, 10,000 characters, negative and huge
  numbers (beyond 64 bits, 1e309), NaN;
- bodies that are not UTF-8, hold NUL in each string field, extreme numbers in each numeric field (beyond 64 bits,
  1e400, a number of 5,000 digits, 1e999999999), JSON nested 100,000 deep, valid bodies with one string 2 MiB or
  12 MB long, bodies of the wrong JSON type, duplicate keys, and the right JSON under the wrong content type;
- to the YAML-accepting pipeline endpoints: an alias bomb ("billion laughs"), a self-referencing alias, deep nesting,
  Java type tags, a YAML directive of an unknown version, NUL in a scalar;
- over-long, non-ASCII and blank identity and idempotency headers.
Each request is logged like schemathesis' (fuzzlog), with a command that reproduces it when it fails. Sequential and
deterministic: the same document gives the same requests in the same order.
"""
import concurrent.futures
import json
import os
import re
import shlex
import sys
import time

import requests
import yaml

import fuzzlog

TIMEOUT = float(os.environ.get("DROVER_FUZZ_TIMEOUT", "5"))
SEEDS = json.loads(os.environ.get("DROVER_FUZZ_SEEDS", "{}"))
EXCLUDE = re.compile(os.environ["DROVER_FUZZ_EXCLUDE"]) if os.environ.get("DROVER_FUZZ_EXCLUDE") else None
HEADERS = json.loads(os.environ.get("DROVER_FUZZ_HEADERS", "{}"))
WORKERS = int(os.environ.get("DROVER_FUZZ_WORKERS", "4"))
METHODS = ("get", "put", "post", "delete", "patch")

PATH_VALUES = [
    ("nul", "a%00b"), ("invalid-utf8", "%FF%FE"), ("overlong-slash", "%C0%AF"), ("lone-surrogate", "%ED%A0%80"),
    ("long", "x" * 10_000), ("dot-dot", "..%2F..%2Fetc"), ("rtl-override", "%E2%80%AEx"), ("negative", "-1"),
    ("huge", "99999999999999999999"), ("exp", "1e309"), ("control", "a%01%1Fb%7F"),
]
QUERY_VALUES = [
    ("nul", "a%00b"), ("invalid-utf8", "%FF"), ("negative", "-1"), ("zero", "0"), ("below-long", "-9223372036854775809"),
    ("huge", "99999999999999999999"), ("exp", "1e309"), ("nan", "NaN"), ("long", "x" * 10_000),
    ("empty", ""),
]
HEADER_VALUES = [("long", "u" * 10_000), ("latin1", "\xe9t\xe9"), ("empty", ""), ("tab", "a\tb")]
NUMBERS = [("negative", "-1"), ("beyond-long", "9223372036854775808"), ("below-long", "-9223372036854775809"),
           ("inf-double", "1e400"), ("5000-digits", "9" * 5000), ("huge-exponent", "1e999999999"),
           ("tiny", "-4.9e-325"), ("fraction", "0.5")]
PIPELINE = {"id": "fuzz-edge", "description": "x", "tasks": [{"id": "a", "type": "noop"}]}

BILLION_LAUGHS = "\n".join(["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
                           + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
                              f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
                              f"*{chr(97 + i)}]" for i in range(8)]
                           + ["id: bomb", "tasks: [{id: t, type: noop, command: *i}]"])
YAML_CASES = [
    ("yaml-billion-laughs", BILLION_LAUGHS.encode(), None),
    ("yaml-recursive-alias", b"id: &a [*a]\ntasks: []\n", None),
    ("yaml-deep-nesting", b"id: deep\ntasks: " + b"[" * 20_000 + b"]" * 20_000 + b"\n",
     "b'id: deep\\ntasks: ' + b'[' * 20000 + b']' * 20000"),
    ("yaml-deep-block", b"id: deep\ntasks:\n" + b"".join(b" " * i + b"- \n" for i in range(2_000)),
     "b'id: deep\\ntasks:\\n' + b''.join(b' ' * i + b'- \\n' for i in range(2000))"),
    ("yaml-java-tag", b'id: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL '
                      b'["http://127.0.0.1:9/"]]]]\ntasks: []\n', None),
    ("yaml-directive", b"%YAML 9.9\n---\nid: x\ntasks: []\n", None),
    ("yaml-nul", b"id: \"a\\0b\"\ntasks: [{id: t, type: noop}]\n", None),
    ("yaml-many-keys", b"id: many\ntasks: []\n" + b"".join(b"k%d: v\n" % i for i in range(50_000)),
     "b'id: many\\ntasks: []\\n' + b''.join(b'k%d: v\\n' % i for i in range(50000))"),
    ("yaml-merge-bomb", b"a: &a {x: 1}\nb: &b {<<: [*a, *a, *a, *a]}\nc: &c {<<: [*b, *b, *b, *b]}\n"
                        b"id: merge\ntasks: []\n", None),
]


def resolve(doc, schema, depth=0):
    while isinstance(schema, dict) and "$ref" in schema and depth < 50:
        name = schema["$ref"].split("/")[-1]
        schema = doc["components"]["schemas"].get(name, {})
        depth += 1
    return schema if isinstance(schema, dict) else {}


def types(schema):
    t = schema.get("type")
    return t if isinstance(t, list) else [t] if t else []


def example(doc, schema, depth=0, name=None):
    """A value of the schema with every property (optional ones too) down to a few levels."""
    if isinstance(schema, dict) and schema.get("$ref", "").endswith("/PipelineSpec"):
        return dict(PIPELINE)
    schema = resolve(doc, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if "null" not in types(resolve(doc, s))]
            return example(doc, options[0], depth, name) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    t = [x for x in types(schema) if x != "null"]
    kind = t[0] if t else ("object" if "properties" in schema else None)
    if kind == "object":
        if depth > 3:
            return {}
        return {k: example(doc, v, depth + 1, k) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(doc, schema.get("items", {}), depth + 1, name)] if depth <= 3 else []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return False
    if kind == "string":
        if name in SEEDS:
            return SEEDS[name]
        return str(schema.get("example", "x"))
    return "x"


def leaves(value, pointer=()):
    """Every (path, value) of a JSON value's scalars."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, pointer + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, pointer + (i,))
    else:
        yield pointer, value


def replaced(value, pointer, raw_marker):
    if not pointer:
        return raw_marker
    copy = json.loads(json.dumps(value))
    target = copy
    for p in pointer[:-1]:
        target = target[p]
    target[pointer[-1]] = raw_marker
    return copy


MARKER = "\u2063FUZZ\u2063"


def big_string(value, size):
    """The JSON text of value with its first string (or a description, if it has none) `size` characters long,
    and a Python expression that makes the same bytes (for the reproducing command)."""
    strings = [p for p, leaf in leaves(value) if isinstance(leaf, str)]
    # a description where there is one: it is free text, so the body stays valid but for its size
    pointer = next((p for p in strings if p and p[-1] == "description"), strings[0] if strings else None)
    marker = "\u2063BIG\u2063"
    text = json.dumps({"description": marker}) if pointer is None else json.dumps(replaced(value, pointer, marker))
    before, after = text.split(json.dumps(marker))
    body = before.encode() + b'"' + b"d" * size + b'"' + after.encode()
    return body, f"{(before + chr(34)).encode()!r} + b'd' * {size} + {(chr(34) + after).encode()!r}"


def with_raw(value, pointer, raw_json):
    """The JSON text of value with the scalar at pointer replaced by raw_json, written verbatim (e.g. 1e400)."""
    text = json.dumps(replaced(value, pointer, MARKER))
    return text.replace(json.dumps(MARKER), raw_json).encode()


def repro(method, url, headers, body, body_expr=None):
    head = " ".join(f"-H {shlex.quote(f'{k}: {v}')}" for k, v in headers.items() if len(v) < 300)
    long_headers = {k: v for k, v in headers.items() if len(v) >= 300}
    for k, v in long_headers.items():
        head += f' -H "{k}: $(python3 -c \'print({v[0]!r} * {len(v)})\')"'
    shown_url = url if len(url) < 400 else None
    if shown_url is None:
        m = re.search(r"(x{300,}|u{300,})", url)
        shown_url = url[:m.start()] + "'$(python3 -c 'print(\"" + m.group(0)[0] + "\" * " + str(len(m.group(0))) \
            + ")')'" + url[m.end():] if m else url[:400] + "..."
    cmd = f"curl -sS -X {method.upper()} {head} '{shown_url}'"
    if body is None:
        return cmd
    if body_expr is None and len(body) <= 600:
        body_expr = repr(body)
    elif body_expr is None:
        body_expr = repr(body[:600]) + "  # (first 600 bytes of " + str(len(body)) + ")"
    return f"python3 -c \"import sys; sys.stdout.buffer.write({body_expr})\" | {cmd} --data-binary @-"


class Sender:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.count = 0

    def send(self, op_label, case, method, path, query="", headers=None, body=None, body_expr=None):
        if fuzzlog.hung_too_often(op_label):
            fuzzlog.skipped("edge", op_label, case)
            return
        url = self.base + path + (("?" + query) if query else "")
        h = dict(HEADERS)
        h.update(headers or {})
        t0 = time.monotonic()
        status, error, text = None, None, None
        try:
            r = self.session.request(method.upper(), url, data=body, headers=h, timeout=TIMEOUT,
                                     allow_redirects=False)
            status = r.status_code
            if status >= 500:
                text = r.content.decode("utf-8", "replace")
        except (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL) as e:
            print(f"edge_cases: {op_label} {case} not sent: {type(e).__name__}: {e}", file=sys.stderr)
            return
        except requests.exceptions.Timeout:
            error = "timeout"
        except requests.exceptions.RequestException as e:
            error = "connection"
            text = f"{type(e).__name__}: {e}"
            self.session = requests.Session()
        except Exception as e:  # noqa: BLE001 - e.g. a header the client refuses to send: not the server's fault
            print(f"edge_cases: {op_label} {case} not sent: {type(e).__name__}: {e}", file=sys.stderr)
            return
        ms = (time.monotonic() - t0) * 1000
        self.count += 1
        curl = repro(method, url, h, body, body_expr) if fuzzlog.failed(status, error) else None
        fuzzlog.record("edge", op_label, status, ms, error=error, case=case, curl=curl, body=text)


def fill_path(template, params, override=None):
    def sub(m):
        name = m.group(1)
        if override and override[0] == name:
            return override[1]
        return requests.utils.quote(str(SEEDS.get(name, "x")), safe="")
    return re.sub(r"\{([^}]+)}", sub, template)


def main(base):
    doc = yaml.safe_load(requests.get(base.rstrip("/") + "/api/v1/openapi.yaml", headers=HEADERS, timeout=30).text)
    operations = [(template, method, item[method]) for template, item in doc["paths"].items() for method in METHODS
                  if method in item and not (EXCLUDE and EXCLUDE.search(item[method].get("operationId", "")))]
    # operations side by side (a slow one does not hold up the others), each operation's requests in a fixed order
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        counts = list(pool.map(lambda o: fuzz_operation(doc, base, *o), operations))
    print(f"edge_cases: {sum(counts)} requests sent", file=sys.stderr)


def fuzz_operation(doc, base, template, method, op):
    sender = Sender(base)
    label = f"{method.upper()} {template}"
    params = op.get("parameters", [])
    path_params = [p["name"] for p in params if p.get("in") == "path"]
    base_path = fill_path(template, params)
    for name in path_params:
        for case, value in PATH_VALUES:
            sender.send(label, f"path {name}={case}", method, fill_path(template, params, (name, value)))
    for p in params:
        if p.get("in") == "query":
            for case, value in QUERY_VALUES:
                sender.send(label, f"query {p['name']}={case}", method, base_path, f"{p['name']}={value}")
        if p.get("in") == "header" and not p["name"].lower().startswith("ce-"):
            for case, value in HEADER_VALUES:
                sender.send(label, f"header {p['name']}={case}", method, base_path,
                            headers={p["name"]: value})
    content = (op.get("requestBody") or {}).get("content", {})
    if not content:
        return sender.count
    json_type = next((t for t in content if "json" in t), None)
    media = json_type or next(iter(content))
    ctype = {"Content-Type": media if media != "*/*" else "application/json"}
    value = example(doc, content[media].get("schema", {}))
    valid = json.dumps(value).encode()
    bodies = [
        ("not-utf8", b"\xff\xfe\x00\x80", None),
        ("not-utf8-in-key", b'{"\xc3\x28": 1}', None),
        ("raw-nul", b"\x00" * 64, None),
        ("nested-arrays-100k", b"[" * 100_000 + b"]" * 100_000, "b'[' * 100000 + b']' * 100000"),
        ("nested-objects-20k", b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
         "b'{\"a\":' * 20000 + b'1' + b'}' * 20000"),
        # a valid body but for one string 2 MiB or 12 MB long: past every size limit of the API
        ("string-2MiB", *big_string(value, 2 << 20)),
        ("string-12MB", *big_string(value, 12_000_000)),
        ("json-null", b"null", None), ("json-array", b"[]", None), ("json-number", b"1", None),
        ("json-string", b'"s"', None), ("empty", b"", None), ("empty-object", b"{}", None),
        ("duplicate-keys", b'{"a": 1, "a": 2}', None),
        ("truncated", valid[: max(1, len(valid) // 2)], None),
        ("valid-as-text-plain", valid, None),
        ("valid-as-form", valid, None),
        ("valid-as-utf16", valid.decode().encode("utf-16"), None),
    ]
    for case, body, expr in bodies:
        h = dict(ctype)
        if case == "valid-as-text-plain":
            h["Content-Type"] = "text/plain"
        elif case == "valid-as-form":
            h["Content-Type"] = "application/x-www-form-urlencoded"
        elif case == "valid-as-utf16":
            h["Content-Type"] = "application/json; charset=utf-16"
        sender.send(label, f"body {case}", method, base_path, headers=h, body=body, body_expr=expr)
    for pointer, leaf in leaves(value):
        where = "/" + "/".join(str(p) for p in pointer)
        if isinstance(leaf, str):
            for case, raw in (("nul", "a\u0000b"), ("control", "a\u0001\u001fb"),
                              ("lone-surrogate", "\ud800"), ("long-100k", "L" * 100_000)):
                body = with_raw(value, pointer, json.dumps(raw))
                sender.send(label, f"body {where}={case}", method, base_path, headers=ctype, body=body)
        if isinstance(leaf, (int, float)) and not isinstance(leaf, bool):
            for case, raw in NUMBERS:
                body = with_raw(value, pointer, raw)
                sender.send(label, f"body {where}={case}", method, base_path, headers=ctype, body=body)
    if any("yaml" in t for t in content):
        for case, body, expr in YAML_CASES:
            sender.send(label, f"body {case}", method, base_path,
                        headers={"Content-Type": "application/yaml"}, body=body, body_expr=expr)
    return sender.count


if __name__ == "__main__":
    main(sys.argv[1])
