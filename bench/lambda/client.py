#!/usr/bin/python3
"""Control-plane helper for bench/lambda/run.sh, built on Debian's botocore.

wrk makes the load; this script waits for a server, creates the no-op
function, signs one Invoke so wrk can reuse its headers, measures cold starts
(CreateFunction, then the first Invoke, wall time) and makes warm invokes.

Run it with /usr/bin/python3 (Debian's interpreter, which has botocore).
"""

import argparse
import io
import json
import socket
import statistics
import sys
import time
import zipfile

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REGION = "us-east-1"
# Fixed fake credentials: Stratus's default mode accepts any well-formed
# signature, serverless-offline does not check.
ACCESS_KEY = "AKIABENCHMARK0000000"
SECRET_KEY = "benchmark/secret/key/not/a/real/one/0000"
ROLE = "arn:aws:iam::123456789012:role/r"

NODE_NOOP = "exports.handler = async () => ({});\n"
NODE_HELLO = "exports.handler = async (event) => ({ message: 'hello world' });\n"
PY_HELLO = "def handler(event, context):\n    return {'message': 'hello world'}\n"

RUNTIMES = {
    # runtime: (file in the zip, source, handler)
    "nodejs20.x": ("index.js", NODE_HELLO, "index.handler"),
    "python3.12": ("index.py", PY_HELLO, "index.handler"),
}


def make_client(endpoint):
    return botocore.session.get_session().create_client(
        "lambda",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=60),
    )


def zip_of(name, source):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, source)
    return buf.getvalue()


def wait_ready(args):
    deadline = time.monotonic() + args.timeout
    client = make_client(args.endpoint)
    last = None
    while time.monotonic() < deadline:
        try:
            if args.invoke:
                # serverless-offline has no ListFunctions: wait for its port,
                # then time the first Invoke (its cold start: the handler is
                # loaded on first use).
                socket.create_connection(args.endpoint.split("://", 1)[1].rstrip("/").rsplit(":", 1),
                                         timeout=2).close()
                t0 = time.perf_counter()
                invoke_ok(client, args.function)
                print(f"{(time.perf_counter() - t0) * 1e3:.1f}")
            else:
                client.list_functions()
            return 0
        except Exception as e:  # connection refused while the server starts
            last = e
            time.sleep(0.3)
    print(f"server at {args.endpoint} not ready after {args.timeout}s: {last}", file=sys.stderr)
    return 1


def invoke_ok(client, name):
    r = client.invoke(FunctionName=name, InvocationType="RequestResponse", Payload=b"{}")
    payload = r["Payload"].read()
    if r["StatusCode"] != 200 or r.get("FunctionError"):
        raise RuntimeError(f"invoke {name}: status {r['StatusCode']} {r.get('FunctionError')} {payload[:200]!r}")
    return payload


def create(args):
    client = make_client(args.endpoint)
    client.create_function(
        FunctionName=args.function, Runtime="nodejs20.x", Role=ROLE,
        Handler="index.handler", Code={"ZipFile": zip_of("index.js", NODE_NOOP)})
    wait_active(client, args.function, args.timeout)
    return 0


def wait_active(client, name, timeout):
    deadline = time.monotonic() + timeout
    while True:
        state = client.get_function(FunctionName=name)["Configuration"].get("State", "Active")
        if state == "Active":
            return
        if state == "Failed" or time.monotonic() > deadline:
            raise RuntimeError(f"function {name} is {state}")
        time.sleep(0.01)


def invoke(args):
    client = make_client(args.endpoint)
    for _ in range(args.count):
        payload = invoke_ok(client, args.function)
    print(payload.decode(errors="replace"))
    return 0


def cold_start(args):
    """CreateFunction + first Invoke, wall time, for each runtime; a new
    function every repetition so every first invoke is cold. Prints one
    tab-separated line per runtime: runtime, median create ms, median first
    invoke ms, median total ms, median warm invoke ms, repetitions."""
    client = make_client(args.endpoint)
    # Open the connection first, so the first timing does not include it.
    client.list_functions()
    for runtime in args.runtimes.split(","):
        fname, source, handler = RUNTIMES[runtime]
        code = zip_of(fname, source)
        creates, firsts, totals, warms = [], [], [], []
        for i in range(args.repeat):
            name = f"cold-{runtime.replace('.', '-')}-{i}"
            t0 = time.perf_counter()
            client.create_function(FunctionName=name, Runtime=runtime, Role=ROLE,
                                   Handler=handler, Code={"ZipFile": code})
            wait_active(client, name, 60)
            t1 = time.perf_counter()
            invoke_ok(client, name)
            t2 = time.perf_counter()
            invoke_ok(client, name)
            t3 = time.perf_counter()
            creates.append((t1 - t0) * 1e3)
            firsts.append((t2 - t1) * 1e3)
            totals.append((t2 - t0) * 1e3)
            warms.append((t3 - t2) * 1e3)
            if args.delete:
                client.delete_function(FunctionName=name)
        med = statistics.median
        print(f"{runtime}\t{med(creates):.1f}\t{med(firsts):.1f}\t{med(totals):.1f}\t"
              f"{med(warms):.1f}\t{args.repeat}\t{min(totals):.1f}\t{max(totals):.1f}")
    return 0


def sign(args):
    """Print the headers the SDK sends for one Invoke, one per line; wrk
    reuses them (the signature covers this request only)."""
    host = args.endpoint.split("://", 1)[1].rstrip("/")
    request = AWSRequest(
        method="POST",
        url=f"{args.endpoint.rstrip('/')}/2015-03-31/functions/{args.function}/invocations",
        data=b"{}",
        headers={"X-Amz-Invocation-Type": "RequestResponse",
                 "X-Amz-Log-Type": "None"},
    )
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "lambda", REGION).add_auth(request)
    print(f"Host: {host}")
    print(f"User-Agent: {botocore.session.get_session().user_agent()}")
    print("Accept-Encoding: identity")
    for name, value in request.headers.items():
        if name.lower() in ("host", "content-length"):
            continue
        print(f"{name}: {value}")
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--function", default="noop")
    p.add_argument("--timeout", type=float, default=60)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("wait-ready")
    s.add_argument("--invoke", action="store_true", help="ready when an Invoke of --function succeeds")
    sub.add_parser("create")
    sub.add_parser("sign")
    s = sub.add_parser("invoke")
    s.add_argument("--count", type=int, default=1)
    s = sub.add_parser("cold-start")
    s.add_argument("--runtimes", default="nodejs20.x,python3.12")
    s.add_argument("--repeat", type=int, default=5)
    s.add_argument("--delete", action="store_true")
    args = p.parse_args()
    return {"wait-ready": wait_ready, "create": create, "sign": sign, "invoke": invoke,
            "cold-start": cold_start}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
