"""The Calc API of the seed-004 tutorial, in our own code: one function
behind AWS (non-proxy) Lambda integrations — a query-string method with
required parameters and a mapping template, a body method validated against
the Input model, a path-parameter method whose response template fills the
Result model — called as an AWS service with a credentials role, and the
asynchronous variant."""
import json
import pathlib

import pytest

from apigateway_support import cli_in, invoke, lambda_uri
from conftest import unique_name, wait_for
from lambda_support import make_zip

pytestmark = pytest.mark.skipif(
    not (pathlib.Path(__file__).resolve().parents[2] / "runtimes" / "node_modules").is_dir(),
    reason="scripts/install-deps installs the runtimes' SDKs")

ACCOUNT = "123456789012"
REGION = "us-west-2"
INVOKE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/lambda_invoke_function_assume_apigw_role"

# Our calculator, callback style as the tutorial's runtime expects.
CALC_JS = """
exports.handler = function (event, context, callback) {
  console.log('calc ' + JSON.stringify(event));
  if (event.a === undefined || event.b === undefined || event.op === undefined)
    return callback('400 Invalid Input');
  const a = Number(event.a), b = Number(event.b);
  if (isNaN(a) || isNaN(b)) return callback('400 Invalid Operand');
  const ops = {'+': a + b, add: a + b, '-': a - b, sub: a - b, '*': a * b, mul: a * b,
               '/': b === 0 ? NaN : a / b, div: b === 0 ? NaN : a / b};
  if (!(event.op in ops)) return callback('400 Invalid Operator');
  callback(null, {a: a, b: b, op: event.op, c: ops[event.op]});
};
"""

QUERY_TEMPLATE = ('{"a": "$input.params(\'operand1\')", "b": "$input.params(\'operand2\')", '
                  '"op": "$input.params(\'operator\')"}')
PATH_TEMPLATE = ('{"a": "$input.params(\'operand1\')", "b": "$input.params(\'operand2\')", '
                 '"op": #if($input.params(\'operator\')==\'%2F\')"/"#{else}'
                 '"$input.params(\'operator\')"#end}')
RESULT_TEMPLATE = ('#set($inputRoot = $input.path(\'$\'))\n'
                   '{"input": {"a": $inputRoot.a, "b": $inputRoot.b, "op": "$inputRoot.op"}, '
                   '"output": {"c": $inputRoot.c}}')


def cli(server, *args):
    return cli_in(server, REGION, ACCOUNT, *args)


def test_the_calc_api_end_to_end(server, tmp_path):
    package = tmp_path / "calc.zip"
    package.write_bytes(make_zip({"index.js": CALC_JS}))
    function = unique_name("Calc")
    arn = cli(server, "lambda", "create-function", "--function-name", function,
              "--runtime", "nodejs6.10", "--role", INVOKE_ROLE, "--handler", "index.handler",
              "--zip-file", f"fileb://{package}")["FunctionArn"]
    uri = lambda_uri(REGION, arn)

    api = cli(server, "apigateway", "create-rest-api", "--name", "LambdaGate",
              "--endpoint-configuration", "types=REGIONAL")["id"]
    root = cli(server, "apigateway", "get-resources", "--rest-api-id", api)["items"][0]["id"]
    calc = cli(server, "apigateway", "create-resource", "--rest-api-id", api, "--parent-id", root,
               "--path-part", "calc")["id"]

    def method(resource, verb, **options):
        args = ["apigateway", "put-method", "--rest-api-id", api, "--resource-id", resource,
                "--http-method", verb, "--authorization-type", "NONE"]
        for key, value in options.items():
            args += [f"--{key}", value]
        cli(server, *args)

    def integration(resource, verb, *extra, credentials=True):
        cli(server, "apigateway", "put-integration", "--rest-api-id", api, "--resource-id",
            resource, "--http-method", verb, "--type", "AWS", "--integration-http-method", "POST",
            "--uri", uri, *(["--credentials", INVOKE_ROLE] if credentials else []), *extra)

    def responses(resource, verb, model="Empty", template=None):
        cli(server, "apigateway", "put-method-response", "--rest-api-id", api, "--resource-id",
            resource, "--http-method", verb, "--status-code", "200",
            "--response-models", f"application/json={model}")
        cli(server, "apigateway", "put-integration-response", "--rest-api-id", api,
            "--resource-id", resource, "--http-method", verb, "--status-code", "200",
            "--response-templates", json.dumps({"application/json": template or ""}))

    # GET /calc?operand1=..&operand2=..&operator=..
    params_only = cli(server, "apigateway", "create-request-validator", "--rest-api-id", api,
                      "--name", "Validate query string parameters and headers",
                      "--validate-request-parameters")["id"]
    method(calc, "GET", **{"request-validator-id": params_only, "request-parameters":
                           "method.request.querystring.operand1=true,"
                           "method.request.querystring.operand2=true,"
                           "method.request.querystring.operator=true"})
    integration(calc, "GET", "--passthrough-behavior", "WHEN_NO_MATCH", "--request-templates",
                json.dumps({"application/json": QUERY_TEMPLATE}))
    responses(calc, "GET")

    # POST /calc with a body validated against Input.
    for name, schema in [
        ("Input", {"type": "object", "title": "Input",
                   "properties": {"a": {"type": "number"}, "b": {"type": "number"},
                                  "op": {"type": "string"}}}),
        ("Output", {"type": "object", "title": "Output",
                    "properties": {"c": {"type": "number"}}}),
        ("Result", {"type": "object", "title": "Output", "properties": {
            "input": {"$ref": f"https://apigateway.amazonaws.com/restapis/{api}/models/Input"},
            "output": {"$ref": f"https://apigateway.amazonaws.com/restapis/{api}/models/Output"}}}),
    ]:
        cli(server, "apigateway", "create-model", "--rest-api-id", api, "--name", name,
            "--content-type", "application/json", "--schema", json.dumps(schema))
    body_only = cli(server, "apigateway", "create-request-validator", "--rest-api-id", api,
                    "--name", "Validate body", "--validate-request-body")["id"]
    method(calc, "POST", **{"request-validator-id": body_only,
                            "request-models": "application/json=Input",
                            "request-parameters": "method.request.header.InvocationType=false"})
    integration(calc, "POST", "--request-parameters", json.dumps(
        {"integration.request.header.X-Amz-Invocation-Type": "method.request.header.InvocationType"}))
    responses(calc, "POST")

    # GET /calc/{operand1}/{operand2}/{operator}: a plain Lambda integration
    # (permission from the function's policy) and the Result template.
    parent = calc
    for part in ["{operand1}", "{operand2}", "{operator}"]:
        parent = cli(server, "apigateway", "create-resource", "--rest-api-id", api,
                     "--parent-id", parent, "--path-part", part)["id"]
    by_path = parent
    method(by_path, "GET")
    integration(by_path, "GET", "--request-templates",
                json.dumps({"application/json": PATH_TEMPLATE}), credentials=False)
    responses(by_path, "GET", model="Result", template=RESULT_TEMPLATE)
    cli(server, "lambda", "add-permission", "--function-name", function, "--statement-id",
        "calc-by-path", "--action", "lambda:InvokeFunction", "--principal",
        "apigateway.amazonaws.com", "--source-arn",
        f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/*/GET/calc/*/*/*")

    tested = cli(server, "apigateway", "test-invoke-method", "--rest-api-id", api,
                 "--resource-id", calc, "--http-method", "GET",
                 "--path-with-query-string", "/calc?operand1=2&operand2=3&operator=%2B")
    assert (tested["status"], json.loads(tested["body"])) == (200, {"a": 2, "b": 3, "op": "+",
                                                                    "c": 5})
    cli(server, "apigateway", "create-deployment", "--rest-api-id", api, "--stage-name", "test")

    def call(path, method="GET", body=None, headers=None):
        got = invoke(server, api, "test", path, method=method, body=body, headers=headers)
        return got.status, (got.json() if got.body else None)

    assert call("/calc?operand1=2&operand2=3&operator=add") == (
        200, {"a": 2, "b": 3, "op": "add", "c": 5})
    assert call("/calc?operand1=2&operand2=3") == (
        400, {"message": "Missing required request parameters: [operator]"})
    assert call("/calc", "POST", json.dumps({"a": 1, "b": 2, "op": "+"}),
                {"Content-Type": "application/json"}) == (200, {"a": 1, "b": 2, "op": "+", "c": 3})
    assert call("/calc", "POST", json.dumps({"a": "1", "b": 2, "op": "+"}),
                {"Content-Type": "application/json"}) == (400, {"message": "Invalid request body"})
    status, failure = call("/calc", "POST", "{}", {"Content-Type": "application/json"})
    assert status == 200 and failure["errorMessage"] == "400 Invalid Input"
    assert call("/calc/1/2/+") == (200, {"input": {"a": 1, "b": 2, "op": "+"},
                                        "output": {"c": 3}})
    assert call("/calc/6/3/%2F") == (200, {"input": {"a": 6, "b": 3, "op": "/"},
                                          "output": {"c": 2}})

    # Asynchronously: an empty answer at once, the function runs anyway.
    assert call("/calc", "POST", json.dumps({"a": 40, "b": 2, "op": "+"}),
                {"Content-Type": "application/json", "InvocationType": "Event"}) == (200, None)

    def ran():
        events = cli(server, "logs", "filter-log-events", "--log-group-name",
                     f"/aws/lambda/{function}")["events"]
        return any('calc {"a":40' in e["message"] for e in events)

    assert wait_for(ran, timeout=30)
