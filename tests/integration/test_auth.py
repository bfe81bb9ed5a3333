"""SigV4 end to end: the default mode accepts any well-formed signature; a
server given a key pair verifies every request strictly."""
import datetime
import hashlib
import json
import subprocess
import urllib.error
import urllib.request

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
from botocore.exceptions import ClientError

from conftest import BINARY, REGION, Server, aws_cli, wait_for
from lambda_support import create_function, make_zip

KEY, SECRET = "AKIDSTRICTTEST", "strict-secret"


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    home = tmp_path_factory.mktemp("strict")
    secret_file = home / "secret"
    secret_file.write_text(SECRET + "\n")
    srv = Server(home / "data", ["--access-key", KEY, "--secret-key-file", str(secret_file)])
    srv.start()
    yield srv
    srv.stop()


def code_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def signed(url, service, body, headers, when=None, key=KEY, secret=SECRET):
    """A request signed by botocore's own signer, optionally at another time."""
    request = botocore.awsrequest.AWSRequest(method="POST", url=url, data=body, headers=headers)
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret), service,
                                     "us-east-1")
    if when is not None:
        class Frozen(datetime.datetime):
            @classmethod
            def utcnow(cls):
                return when
        original = botocore.auth.datetime.datetime
        botocore.auth.datetime.datetime = Frozen
        try:
            signer.add_auth(request)
        finally:
            botocore.auth.datetime.datetime = original
    else:
        signer.add_auth(request)
    return urllib.request.Request(url, data=body, method="POST", headers=dict(request.headers))


def send(req):
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_right_credentials_work(strict):
    assert strict.client("dynamodb", KEY, SECRET).list_tables()["TableNames"] == []
    assert strict.client("sts", KEY, SECRET).get_caller_identity()["Account"] == "000000000000"
    assert aws_cli(strict, "dynamodb", "list-tables", access_key=KEY, secret_key=SECRET)


def test_secret_is_not_on_the_command_line(strict):
    with open(f"/proc/{strict.proc.pid}/cmdline", "rb") as f:
        assert SECRET.encode() not in f.read()


def test_secret_key_argument_is_refused(tmp_path):
    run = subprocess.run([str(BINARY), "serve", "--port", "0", "--data-dir", str(tmp_path),
                          "--access-key", KEY, "--secret-key", SECRET],
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    assert "STRATUS_SECRET_KEY" in run.stderr and "--secret-key-file" in run.stderr


def test_secret_key_from_the_environment(tmp_path):
    import os
    srv = Server(tmp_path / "data", ["--access-key", KEY],
                 env=dict(os.environ, STRATUS_SECRET_KEY="from-env")).start()
    try:
        assert srv.client("dynamodb", KEY, "from-env").list_tables()["TableNames"] == []
        code, _ = code_of(lambda: srv.client("dynamodb", KEY, SECRET).list_tables())
        assert code == "InvalidSignatureException"
    finally:
        srv.stop()


def test_body_other_than_the_signed_one_is_refused(strict):
    """A request signed over one body, declaring its hash as the JS SDK does,
    and sent with another."""
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Target": "DynamoDB_20120810.ListTables",
               "X-Amz-Content-SHA256": hashlib.sha256(b"{}").hexdigest()}
    req = signed(strict.url + "/", "dynamodb", b"{}", headers)
    assert send(req)[0] == 200
    tampered = urllib.request.Request(req.full_url, data=b'{"Limit":1}', method="POST",
                                      headers=dict(req.headers))
    status, body = send(tampered)
    assert status == 400
    assert json.loads(body)["__type"].endswith("#InvalidSignatureException")


def test_unsigned_payload_is_refused(strict):
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Target": "DynamoDB_20120810.ListTables",
               "X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}
    status, body = send(signed(strict.url + "/", "dynamodb", b"{}", headers))
    assert status == 400
    assert json.loads(body)["__type"].endswith("#InvalidSignatureException")


WHOAMI = """import os
import boto3

def handler(event, context):
    identity = boto3.client("sts").get_caller_identity()
    return {"arn": identity["Arn"], "account": identity["Account"],
            "key": os.environ["AWS_ACCESS_KEY_ID"],
            "secret": os.environ["AWS_SECRET_ACCESS_KEY"],
            "token": os.environ["AWS_SESSION_TOKEN"]}
"""


def test_functions_get_keys_of_their_own_valid_while_they_live(strict):
    lam = strict.client("lambda", KEY, SECRET)
    name = create_function(lam, runtime="python3.12", zip_bytes=make_zip({"index.py": WHOAMI}))
    out = json.loads(lam.invoke(FunctionName=name)["Payload"].read())
    assert out["key"].startswith("ASIA") and out["key"] != KEY
    assert out["secret"] != SECRET
    assert out["arn"] == f"arn:aws:sts::123456789012:assumed-role/lambda-apigateway-role/{name}"
    assert out["account"] == "123456789012"

    def session_sts(token):
        return boto3.client("sts", endpoint_url=strict.url, region_name=REGION,
                            aws_access_key_id=out["key"], aws_secret_access_key=out["secret"],
                            aws_session_token=token)

    assert session_sts(out["token"]).get_caller_identity()["Arn"] == out["arn"]
    code, _ = code_of(lambda: session_sts("not-its-token").get_caller_identity())
    assert code == "InvalidClientTokenId"
    # Deleting the function stops its environments, and their keys with them.
    lam.delete_function(FunctionName=name)

    def revoked():
        try:
            session_sts(out["token"]).get_caller_identity()
            return False
        except ClientError as e:
            return e.response["Error"]["Code"] == "InvalidClientTokenId"
    assert wait_for(revoked)


def test_wrong_secret_is_an_invalid_signature(strict):
    code, message = code_of(lambda: strict.client("dynamodb", KEY, "wrong").list_tables())
    assert code == "InvalidSignatureException"
    assert message.startswith("The request signature we calculated does not match")


def test_unknown_key_is_unrecognized(strict):
    code, message = code_of(lambda: strict.client("dynamodb", "AKIDOTHER", SECRET).list_tables())
    assert (code, message) == ("UnrecognizedClientException",
                               "The security token included in the request is invalid.")


def test_query_protocol_uses_its_own_codes(strict):
    code, _ = code_of(lambda: strict.client("sts", "AKIDOTHER", SECRET).get_caller_identity())
    assert code == "InvalidClientTokenId"
    code, _ = code_of(lambda: strict.client("sts", KEY, "wrong").get_caller_identity())
    assert code == "SignatureDoesNotMatch"


def test_stale_request_is_expired_whatever_its_key(strict):
    stale = datetime.datetime.utcnow() - datetime.timedelta(hours=1)
    for key in (KEY, "AKIDOTHER"):
        req = signed(strict.url + "/", "dynamodb", b"{}",
                     {"Content-Type": "application/x-amz-json-1.0",
                      "X-Amz-Target": "DynamoDB_20120810.ListTables"}, when=stale, key=key)
        status, body = send(req)
        assert status == 400
        error = json.loads(body)
        assert error["__type"].endswith("#InvalidSignatureException")
        assert error["message"].startswith("Signature expired: ")


def test_missing_and_malformed_authorization(strict):
    base = {"Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810.ListTables"}
    status, body = send(urllib.request.Request(strict.url + "/", data=b"{}", method="POST",
                                               headers=base))
    assert status == 400
    assert json.loads(body)["__type"].endswith("#MissingAuthenticationTokenException")
    status, body = send(urllib.request.Request(strict.url + "/", data=b"{}", method="POST",
                                               headers=base | {
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/"
                         "aws4_request", "X-Amz-Date": "20260101T000000Z"}))
    assert status == 400
    error = json.loads(body)
    assert error["__type"].endswith("#IncompleteSignatureException")
    assert "Authorization header requires 'Signature' parameter." in error["message"]


def test_default_mode_accepts_any_well_formed_credentials(server):
    assert server.client("dynamodb", "anything", "at-all").list_tables() is not None
