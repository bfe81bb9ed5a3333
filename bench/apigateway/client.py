#!/usr/bin/python3
"""Setup helper for bench/apigateway/run.sh, built on Debian's botocore.

On Stratus it creates the no-op Node.js function, a REST API whose /noop
method is a Lambda proxy integration of it and whose /mock method is a MOCK
integration with a small response template, a stage, and a DynamoDB table
with one item; then it writes the raw HTTP requests wrk replays, one file per
workload: the API call through AWS_PROXY, the same function by a direct
Invoke (SigV4-signed as the SDK signs it), the MOCK call and a GetItem.
For serverless-offline it writes the request of its HTTP endpoint.

Run it with /usr/bin/python3 (Debian's interpreter, which has botocore).
"""

import argparse
import io
import json
import os
import sys
import time
import urllib.request
import zipfile

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REGION = "us-east-1"
ACCESS_KEY = "AKIABENCHMARK0000000"
SECRET_KEY = "benchmark/secret/key/not/a/real/one/0000"
ROLE = "arn:aws:iam::123456789012:role/r"
# The same handler for every path: a proxy answer with an empty JSON body.
NODE_NOOP = "exports.handler = async () => ({ statusCode: 200, body: '{}' });\n"


def client(endpoint, service):
    return botocore.session.get_session().create_client(
        service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=60))


def raw(method, path, host, headers, body=b""):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v}" for k, v in headers.items()
              if k.lower() not in ("host", "content-length")]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def signed(endpoint, service, path, body, headers):
    request = AWSRequest(method="POST", url=endpoint.rstrip("/") + path, data=body,
                         headers=headers)
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), service, REGION).add_auth(request)
    return dict(request.headers.items())


def proxy_shaped_event(api, api_host):
    """A version 1.0 proxy event like the one API Gateway builds for
    `GET /prod/noop` (what the function gets through the API)."""
    headers = {"Host": api_host, "User-Agent": "wrk", "X-Forwarded-For": "127.0.0.1",
               "X-Forwarded-Proto": "http"}
    identity = dict.fromkeys(
        ["cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller"])
    identity.update({"sourceIp": "127.0.0.1", "principalOrgId": None, "accessKey": None,
                     "cognitoAuthenticationType": None, "cognitoAuthenticationProvider": None,
                     "userArn": None, "userAgent": "wrk", "user": None})
    return {
        "resource": "/noop", "path": "/noop", "httpMethod": "GET", "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": None, "stageVariables": None,
        "requestContext": {
            "resourceId": "abcdefghij", "resourcePath": "/noop", "httpMethod": "GET",
            "extendedRequestId": "ABCDEFGHIJKLMNO=", "requestTime": "08/Dec/2026:00:00:00 +0000",
            "path": "/prod/noop", "accountId": "000000000000", "protocol": "HTTP/1.1",
            "stage": "prod", "domainPrefix": api, "requestTimeEpoch": 1796688000000,
            "requestId": "00000000-0000-4000-8000-000000000000", "identity": identity,
            "domainName": api_host, "deploymentId": "abcdef", "apiId": api},
        "body": None, "isBase64Encoded": False}


def setup_stratus(args):
    endpoint = args.endpoint
    host = endpoint.split("://", 1)[1].rstrip("/")
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(endpoint + "/_stratus/health", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    lam, apigw, ddb = (client(endpoint, s) for s in ("lambda", "apigateway", "dynamodb"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.js", NODE_NOOP)
    arn = lam.create_function(FunctionName="noop", Runtime="nodejs20.x", Role=ROLE,
                              Handler="index.handler", Code={"ZipFile": buf.getvalue()},
                              MemorySize=128)["FunctionArn"]
    while lam.get_function(FunctionName="noop")["Configuration"]["State"] != "Active":
        time.sleep(0.05)
    api = apigw.create_rest_api(name="bench")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    noop = apigw.create_resource(restApiId=api, parentId=root, pathPart="noop")["id"]
    apigw.put_method(restApiId=api, resourceId=noop, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api, resourceId=noop, httpMethod="GET", type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations")
    lam.add_permission(FunctionName="noop", StatementId="bench", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com",
                       SourceArn=f"arn:aws:execute-api:{REGION}:{arn.split(':')[4]}:{api}/*/GET/noop")
    mock = apigw.create_resource(restApiId=api, parentId=root, pathPart="mock")["id"]
    apigw.put_method(restApiId=api, resourceId=mock, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=mock, httpMethod="GET", type="MOCK",
                          requestTemplates={"application/json": '{"statusCode": 200}'})
    apigw.put_method_response(restApiId=api, resourceId=mock, httpMethod="GET", statusCode="200")
    apigw.put_integration_response(
        restApiId=api, resourceId=mock, httpMethod="GET", statusCode="200",
        responseTemplates={"application/json": '{"ok": true, "stage": "$context.stage"}'})
    apigw.create_deployment(restApiId=api, stageName="prod")
    ddb.create_table(TableName="bench", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    ddb.put_item(TableName="bench", Item={"pk": {"S": "user-1"}, "name": {"S": "Ada"},
                                          "age": {"N": "36"}})

    out = args.out
    api_host = f"{api}.execute-api.localhost"
    files = {
        "proxy": raw("GET", "/prod/noop", api_host, {"User-Agent": "wrk"}),
        "mock": raw("GET", "/prod/mock", api_host, {"User-Agent": "wrk"}),
    }
    body = b"{}"
    path = "/2015-03-31/functions/noop/invocations"
    files["invoke"] = raw("POST", path, host,
                          signed(endpoint, "lambda", path, body,
                                 {"X-Amz-Invocation-Type": "RequestResponse"}), body)
    # The same Invoke with an event of the proxy event's shape and size, to
    # tell the gateway's own cost from the cost of a larger event.
    body = json.dumps(proxy_shaped_event(api, api_host), separators=(",", ":")).encode()
    files["invoke-event"] = raw("POST", path, host,
                                signed(endpoint, "lambda", path, body,
                                       {"X-Amz-Invocation-Type": "RequestResponse"}), body)
    body = json.dumps({"TableName": "bench", "Key": {"pk": {"S": "user-1"}}}).encode()
    files["getitem"] = raw("POST", "/", host, signed(
        endpoint, "dynamodb", "/", body,
        {"Content-Type": "application/x-amz-json-1.0",
         "X-Amz-Target": "DynamoDB_20120810.GetItem"}), body)
    for name, data in files.items():
        with open(os.path.join(out, name + ".req"), "wb") as f:
            f.write(data)
    # Each must answer 200 before it is measured.
    return check(files, args.endpoint)


def check(files, endpoint):
    import socket
    host, port = endpoint.split("://", 1)[1].rstrip("/").rsplit(":", 1)
    for name, data in files.items():
        with socket.create_connection((host, int(port)), 10) as s:
            s.sendall(data)
            answer = s.recv(65536).decode(errors="replace")
        status = answer.split(" ", 2)[1] if " " in answer else "?"
        if status != "200":
            print(f"{name}: {answer[:400]}", file=sys.stderr)
            return 1
        print(f"{name}: 200, {len(answer.split(chr(13) + chr(10) + chr(13) + chr(10), 1)[-1])} body bytes",
              file=sys.stderr)
    return 0


def setup_sls(args):
    host = args.endpoint.split("://", 1)[1].rstrip("/")
    files = {"sls": raw("GET", "/dev/noop", host, {"User-Agent": "wrk"})}
    with open(os.path.join(args.out, "sls.req"), "wb") as f:
        f.write(files["sls"])
    deadline = time.monotonic() + 120
    while True:
        try:
            return check(files, args.endpoint)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("what", choices=["stratus", "sls"])
    args = p.parse_args()
    return setup_stratus(args) if args.what == "stratus" else setup_sls(args)


if __name__ == "__main__":
    sys.exit(main())
