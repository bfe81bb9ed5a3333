#!/usr/bin/python3
"""Control-plane helper for bench/dynamodb/run.sh, built on Debian's botocore.

The load itself comes from wrk; this script only does what wrk cannot do
cheaply: wait for a server, create the table, sign one request per operation
so the Lua scripts can reuse its headers, and spot-check the preload.

Run it with /usr/bin/python3 (Debian's interpreter, which has botocore), not a
pyenv python.
"""

import argparse
import json
import random
import sys
import threading
import time

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REGION = "us-east-1"
# Fixed fake credentials: none of the benchmarked servers verify signatures in
# the mode the benchmark runs them in, but all of them parse the header.
ACCESS_KEY = "AKIABENCHMARK0000000"
SECRET_KEY = "benchmark/secret/key/not/a/real/one/0000"


def make_client(endpoint):
    session = botocore.session.get_session()
    return session.create_client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=30),
    )


def wait_ready(args):
    deadline = time.monotonic() + args.timeout
    client = make_client(args.endpoint)
    last = None
    while time.monotonic() < deadline:
        try:
            client.list_tables()
            return 0
        except Exception as e:  # connection refused while the server starts
            last = e
            time.sleep(0.2)
    print(f"server at {args.endpoint} not ready after {args.timeout}s: {last}", file=sys.stderr)
    return 1


def create_table(args):
    client = make_client(args.endpoint)
    client.create_table(
        TableName=args.table,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        status = client.describe_table(TableName=args.table)["Table"]["TableStatus"]
        if status == "ACTIVE":
            return 0
        time.sleep(0.1)
    print(f"table {args.table} not ACTIVE after {args.timeout}s", file=sys.stderr)
    return 1


def create_query_table(args):
    """The Query workload's table: partitions of 10 items (pk, sk 0..9),
    preloaded with BatchWriteItem from a few threads."""
    client = make_client(args.endpoint)
    client.create_table(
        TableName=args.table,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )
    bio = ("lorem ipsum dolor sit amet " * 5)[:118]

    def item(k):
        return {"pk": {"S": "part-%08d" % (k // 10)}, "sk": {"N": str(k % 10)},
                "name": {"S": "Name %08d" % k}, "email": {"S": "user-%08d@example.com" % k},
                "age": {"N": str(10 + k % 90)}, "bio": {"S": bio}}

    # One client per thread: creating a botocore client loads the service
    # model, which costs more than the batch it would send.
    clients = threading.local()

    def write(start):
        if not hasattr(clients, "client"):
            clients.client = make_client(args.endpoint)
        local = clients.client
        requests = [{"PutRequest": {"Item": item(k)}} for k in range(start, min(start + 25, args.items))]
        while requests:
            out = local.batch_write_item(RequestItems={args.table: requests})
            requests = out.get("UnprocessedItems", {}).get(args.table, [])

    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(0, args.items, 25)))
    got = client.query(TableName=args.table, KeyConditionExpression="pk = :p",
                       ExpressionAttributeValues={":p": {"S": "part-00000000"}})
    if got["Count"] != min(10, args.items):
        print(f"query table check: {got['Count']} items in the first partition", file=sys.stderr)
        return 1
    return 0


def sign(args):
    """Print the headers the SDK would send for one request, one per line.

    The signature covers this sample body only; wrk reuses the headers with
    other bodies, which gives a well-formed but not a valid signature.
    """
    host = args.endpoint.split("://", 1)[1].rstrip("/")
    request = AWSRequest(
        method="POST",
        url=args.endpoint.rstrip("/") + "/",
        data=args.body.encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"DynamoDB_20120810.{args.operation}",
        },
    )
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "dynamodb", REGION).add_auth(request)
    print(f"Host: {host}")
    # Sent but not signed by the SDK, like botocore's own requests.
    print(f"User-Agent: {botocore.session.get_session().user_agent()}")
    print("Accept-Encoding: identity")
    for name, value in request.headers.items():
        if name.lower() in ("host", "content-length"):
            continue  # Lua writes Host and the real Content-Length itself
        print(f"{name}: {value}")
    return 0


def check(args):
    """GetItem a sample of preloaded keys; fail if any is missing."""
    client = make_client(args.endpoint)
    rng = random.Random(1)
    keys = {0, args.items - 1} | {rng.randrange(args.items) for _ in range(args.samples)}
    missing = []
    for k in sorted(keys):
        pk = args.key_format % k
        item = client.get_item(TableName=args.table, Key={"pk": {"S": pk}}).get("Item")
        if item is None or item["pk"]["S"] != pk:
            missing.append(pk)
    if missing:
        print(f"preload check: {len(missing)}/{len(keys)} sampled keys missing, e.g. {missing[:3]}",
              file=sys.stderr)
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--table", default="bench")
    parser.add_argument("--timeout", type=float, default=60)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("wait-ready").set_defaults(func=wait_ready)
    sub.add_parser("create-table").set_defaults(func=create_table)
    p = sub.add_parser("create-query-table")
    p.add_argument("--items", type=int, required=True)
    p.set_defaults(func=create_query_table)
    p = sub.add_parser("sign")
    p.add_argument("--operation", required=True)
    p.add_argument("--body", default="{}")
    p.set_defaults(func=sign)
    p = sub.add_parser("check")
    p.add_argument("--items", type=int, required=True)
    p.add_argument("--samples", type=int, default=50)
    p.add_argument("--key-format", default="user-%08d")
    p.set_defaults(func=check)
    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
