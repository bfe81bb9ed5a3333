"""SigV4 end to end: the default mode accepts any well-formed signature; a
server given a key pair verifies every request strictly."""
import datetime
import json
import urllib.error
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
from botocore.exceptions import ClientError

from conftest import Server, aws_cli

KEY, SECRET = "AKIDSTRICTTEST", "strict-secret"


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("strict"), ["--access-key", KEY, "--secret-key", SECRET])
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
