"""STS GetCallerIdentity over the query protocol."""
import urllib.request

from conftest import aws_cli


def test_get_caller_identity_boto3(sts):
    identity = sts.get_caller_identity()
    assert identity["Account"] == "000000000000"
    assert identity["Arn"] == "arn:aws:iam::000000000000:root"
    assert identity["UserId"] == "000000000000"


def test_twelve_digit_access_key_selects_the_account(server):
    identity = server.client("sts", access_key="123456789012").get_caller_identity()
    assert identity["Account"] == "123456789012"


def test_get_caller_identity_cli(server):
    out = aws_cli(server, "sts", "get-caller-identity")
    assert '"Account": "000000000000"' in out.stdout


def test_xml_response_shape(server, sts):
    # The same request boto3 sends, read raw to check the XML envelope.
    body = b"Action=GetCallerIdentity&Version=2011-06-15"
    req = urllib.request.Request(server.url + "/", data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Amz-Date": "20260101T000000Z",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/aws4_request, "
                         "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64})
    with urllib.request.urlopen(req) as res:
        xml = res.read().decode()
        assert res.status == 200
    assert xml.startswith(
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">')
    assert ("<GetCallerIdentityResult><UserId>000000000000</UserId><Account>000000000000"
            "</Account><Arn>arn:aws:iam::000000000000:root</Arn></GetCallerIdentityResult>") in xml
    assert "<RequestId>" in xml
