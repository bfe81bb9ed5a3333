"""Helpers of the API Gateway integration tests."""
import http.client
import json

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, unique_name
from lambda_support import ROLE, make_zip


def error_of(call):
    """(code, message, HTTP status) of the ClientError that `call` raises."""
    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    return (response["Error"]["Code"], response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"])


class Answer:
    """What an invoke URL answered: status, headers (by lower-case name,
    each a list of values) and body (bytes)."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        values = self.headers.get(name.lower())
        return values[-1] if values else None

    def json(self):
        return json.loads(self.body)


def request(server, method, path, body=None, headers=None, host=None):
    """Sends one request to the server as a client of an API would."""
    port = int(server.url.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        all_headers = dict(headers or {})
        if host:
            all_headers["Host"] = host
        data = body.encode() if isinstance(body, str) else body
        conn.request(method, path, body=data, headers=all_headers)
        res = conn.getresponse()
        got = {}
        for name, value in res.getheaders():
            got.setdefault(name.lower(), []).append(value)
        return Answer(res.status, got, res.read())
    finally:
        conn.close()


def invoke(server, api, stage, path="/", method="GET", form="host", **kwargs):
    """Calls `path` of a deployed stage through one of the three invoke URL
    forms: "host" ({api}.execute-api.localhost), "user_request"
    (/restapis/{api}/{stage}/_user_request_/...) or "aws" (/_aws/execute-api/...)."""
    port = server.url.rsplit(":", 1)[1]
    if form == "host":
        return request(server, method, f"/{stage}{path}", host=f"{api}.execute-api.localhost:{port}",
                       **kwargs)
    if form == "user_request":
        return request(server, method, f"/restapis/{api}/{stage}/_user_request_{path}", **kwargs)
    return request(server, method, f"/_aws/execute-api/{api}/{stage}{path}", **kwargs)


def mock_method(apigw, api, resource, method="GET", request_template='{"statusCode": 200}',
                response_template=None, status="200", **integration):
    """A MOCK integration answering `status` with `response_template`."""
    apigw.put_method(restApiId=api, resourceId=resource, httpMethod=method,
                     authorizationType="NONE")
    apigw.put_integration(restApiId=api, resourceId=resource, httpMethod=method, type="MOCK",
                          requestTemplates={"application/json": request_template}, **integration)
    apigw.put_method_response(restApiId=api, resourceId=resource, httpMethod=method,
                              statusCode=status)
    templates = {"application/json": response_template} if response_template is not None else {}
    apigw.put_integration_response(restApiId=api, resourceId=resource, httpMethod=method,
                                   statusCode=status, responseTemplates=templates)


def root_of(apigw, api):
    return next(r["id"] for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/")


def lambda_uri(region, function_arn):
    """An integration URI that calls a function."""
    return (f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}"
            "/invocations")


def cli_in(server, region, account, *args):
    """The AWS CLI as a tutorial's reader runs it, in `region` and (by a
    12-digit access key) `account`; its JSON output, or None."""
    out = aws_cli(server, *args, "--region", region, access_key=account).stdout
    return json.loads(out) if out.strip() else None


def new_function(awslambda, files, runtime="nodejs20.x", prefix="fn"):
    """A function of `files` (handler index.handler); its name and ARN."""
    name = unique_name(prefix)
    arn = awslambda.create_function(FunctionName=name, Runtime=runtime, Role=ROLE,
                                    Handler="index.handler",
                                    Code={"ZipFile": make_zip(files)})["FunctionArn"]
    return name, arn
