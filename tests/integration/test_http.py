"""The HTTP layer and the edge: health, keep-alive, pipelining, limits, and
protocol-level errors, driven with raw sockets where a client library would
hide what is on the wire."""
import datetime
import json
import os
import socket
import subprocess

from conftest import BINARY, Server

SIGNED = ("Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/"
          "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64 + "\r\n"
          "X-Amz-Date: 20260101T000000Z\r\n")


def raw(server, data, read_until_close=True, timeout=10):
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(data)
        if not read_until_close:
            s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("latin-1")


def dynamodb_request(target, body, extra=""):
    body = body.encode() if isinstance(body, str) else body
    return (f"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Target: {target}\r\n{SIGNED}{extra}Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body


def status_and_body(response):
    head, _, body = response.partition("\r\n\r\n")
    return int(head.split(" ", 2)[1]), head, body


def test_version_command():
    out = subprocess.run([str(BINARY), "version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("stratus ")


def test_health(server):
    res = raw(server, b"GET /_stratus/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, head, body = status_and_body(res)
    assert status == 200
    health = json.loads(body)
    assert health["services"]["dynamodb"] == "running"
    assert health["services"]["sts"] == "running"
    assert health["version"]


def test_dynamodb_style_health_check(server):
    status, _, body = status_and_body(
        raw(server, b"GET / HTTP/1.1\r\nHost: localhost:1234\r\nConnection: close\r\n\r\n"))
    assert (status, body) == (200, "healthy: localhost:1234")


def test_keep_alive_and_pipelining(server):
    one = dynamodb_request("DynamoDB_20120810.ListTables", "{}")
    close = dynamodb_request("DynamoDB_20120810.ListTables", "{}", "Connection: close\r\n")
    res = raw(server, one + one + close)  # three requests in one write
    assert res.count("HTTP/1.1 200 OK") == 3


def test_malformed_json(server):
    status, _, body = status_and_body(raw(server, dynamodb_request(
        "DynamoDB_20120810.ListTables", "{broken", "Connection: close\r\n")))
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#SerializationException"


def test_unknown_operation(server):
    status, _, body = status_and_body(raw(server, dynamodb_request(
        "DynamoDB_20120810.NoSuchThing", "{}", "Connection: close\r\n")))
    assert status == 400
    assert json.loads(body)["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_missing_authentication(server):
    body = b"{}"
    req = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
           b"X-Amz-Target: DynamoDB_20120810.ListTables\r\nConnection: close\r\n"
           b"Content-Length: 2\r\n\r\n" + body)
    status, _, text = status_and_body(raw(server, req))
    assert status == 400
    assert json.loads(text) == {
        "__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
        "message": "Request is missing Authentication Token"}


def test_wrong_content_type_is_not_found(server):
    req = dynamodb_request("DynamoDB_20120810.ListTables", "{}", "Connection: close\r\n")
    req = req.replace(b"application/x-amz-json-1.0", b"text/plain")
    status, _, _ = status_and_body(raw(server, req))
    assert status == 404


def test_oversized_body_refused_before_reading(server):
    req = (f"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
           f"X-Amz-Target: DynamoDB_20120810.PutItem\r\n{SIGNED}"
           f"Content-Length: {16 * 1024 * 1024 + 1}\r\n\r\n").encode()
    status, _, _ = status_and_body(raw(server, req, read_until_close=False))
    assert status == 413


def lambda_request(method, path, length, signed=SIGNED.replace("/dynamodb/", "/lambda/")):
    return (f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"{signed}Content-Length: {length}\r\n\r\n").encode()


def test_each_lambda_operation_admits_its_own_body_size(server):
    """Invoke takes 6 MB, as on AWS; only the operations that carry a zip take
    its 50 MB in base64. Refused from the header, before the body is read."""
    status, head, body = status_and_body(raw(
        server, lambda_request("POST", "/2015-03-31/functions/f/invocations", 6291457),
        read_until_close=False))
    assert status == 413
    assert "x-amzn-ErrorType: RequestEntityTooLargeException" in head
    assert json.loads(body)["Message"] == (
        "Request must be smaller than 6291456 bytes for the InvokeFunction operation")
    status, _, body = status_and_body(raw(
        server, lambda_request("PUT", "/2015-03-31/functions/f/code", 69905068),
        read_until_close=False))
    assert status == 413
    assert json.loads(body)["Message"] == (
        "Request must be smaller than 69905067 bytes for the UpdateFunctionCode operation")


def test_verified_mode_checks_the_signature_before_a_large_body(tmp_path):
    """An unknown key announcing a 40 MB upload is answered at once: the
    server never waits for (or buffers) the body."""
    srv = Server(tmp_path / "data", ["--access-key", "AKIDBODYTEST"],
                 env=dict(os.environ, STRATUS_SECRET_KEY="s")).start()
    try:
        now = datetime.datetime.utcnow()
        signed = (f"Authorization: AWS4-HMAC-SHA256 Credential=AKIDSTRANGER/{now:%Y%m%d}/"
                  f"us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, "
                  f"Signature={'0' * 64}\r\nX-Amz-Date: {now:%Y%m%dT%H%M%SZ}\r\n")
        req = lambda_request("POST", "/2015-03-31/functions", 40_000_000, signed) + b"{" * 100
        status, head, _ = status_and_body(raw(srv, req, read_until_close=False))
        assert status == 403
        assert "x-amzn-ErrorType: UnrecognizedClientException" in head
    finally:
        srv.stop()


def test_huge_header_refused(server):
    req = b"GET /_stratus/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 17_000 + b"\r\n\r\n"
    status, _, _ = status_and_body(raw(server, req))
    assert status == 400


def test_garbage_is_a_400_not_a_crash(server):
    status, _, _ = status_and_body(raw(server, b"\x00\x01 NOT HTTP\r\n\r\n"))
    assert status == 400
    status, _, _ = status_and_body(  # and the server still serves
        raw(server, b"GET /_stratus/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
    assert status == 200


def test_not_implemented_operation_is_honest(server):
    lambda_client = server.client("lambda")
    try:
        lambda_client.list_layers()
        raise AssertionError("ListLayers is not implemented yet and must say so")
    except lambda_client.exceptions.ClientError as e:
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 501
        assert e.response["Error"]["Code"] == "NotImplementedException"
        assert "lambda:ListLayers" in e.response["Error"]["Message"]


def test_refuses_network_address_without_credentials(tmp_path):
    proc = subprocess.run([str(BINARY), "serve", "--host", "0.0.0.0", "--port", "0",
                           "--data-dir", str(tmp_path)], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 2
    assert "--allow-unauthenticated-network-access" in proc.stderr


def test_debug_log_has_one_line_per_request(tmp_path):
    srv = Server(tmp_path / "d", ["--log-level", "debug"]).start()
    try:
        srv.client("dynamodb").list_tables()
        srv.client("sts").get_caller_identity()
    finally:
        srv.stop()
    lines = [line for line in srv.log().splitlines() if " request method=" in line]
    assert len(lines) == 2
    assert "service=dynamodb operation=ListTables status=200" in lines[0]
    assert "service=sts operation=GetCallerIdentity status=200" in lines[1]
    assert "request_id=" in lines[0] and "duration_us=" in lines[0]


def test_data_dir_is_created(tmp_path):
    target = tmp_path / "nested" / "dir"
    srv = Server(target).start()
    try:
        assert os.path.isdir(target)
    finally:
        srv.stop()


def test_gzip_request_bodies(server, dynamodb, table):
    import gzip
    import zlib
    for coding, packed in (("gzip", gzip.compress), ("deflate", zlib.compress)):
        body = json.dumps({"TableName": table,
                           "Item": {"pk": {"S": coding}, "sk": {"N": "1"}}}).encode()
        req = dynamodb_request("DynamoDB_20120810.PutItem", packed(body),
                               f"Content-Encoding: {coding}\r\nConnection: close\r\n")
        status, _, _ = status_and_body(raw(server, req))
        assert status == 200
        assert "Item" in dynamodb.get_item(TableName=table, Key={"pk": {"S": coding},
                                                                 "sk": {"N": "1"}})
    # Two gzip members back to back are one body, as gzip tools make them.
    half = json.dumps({"TableName": table, "Item": {"pk": {"S": "two"}, "sk": {"N": "1"}}})
    two = gzip.compress(half[:20].encode()) + gzip.compress(half[20:].encode())
    req = dynamodb_request("DynamoDB_20120810.PutItem", two,
                           "Content-Encoding: gzip\r\nConnection: close\r\n")
    assert status_and_body(raw(server, req))[0] == 200


def test_undecodable_bodies_are_server_errors_like_aws(server, table):
    body = json.dumps({"TableName": table, "Item": {"pk": {"S": "x"}, "sk": {"N": "1"}}})
    for coding in ("gzip", "garbage"):
        req = dynamodb_request("DynamoDB_20120810.PutItem", body,
                               f"Content-Encoding: {coding}\r\nConnection: close\r\n")
        assert status_and_body(raw(server, req))[0] == 500


def test_large_responses_are_compressed_when_accepted(server, dynamodb, table):
    import gzip
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "big"}, "sk": {"N": "1"},
                                             "v": {"S": "abc" * 3000}})
    body = json.dumps({"TableName": table, "Key": {"pk": {"S": "big"}, "sk": {"N": "1"}}})
    req = dynamodb_request("DynamoDB_20120810.GetItem", body,
                           "Accept-Encoding: gzip\r\nConnection: close\r\n")
    status, head, packed = status_and_body(raw(server, req))
    assert status == 200 and "Content-Encoding: gzip" in head
    item = json.loads(gzip.decompress(packed.encode("latin-1")))["Item"]
    assert item["v"]["S"] == "abc" * 3000
    small = json.dumps({"TableName": table, "Key": {"pk": {"S": "none"}, "sk": {"N": "1"}}})
    req = dynamodb_request("DynamoDB_20120810.GetItem", small,
                           "Accept-Encoding: gzip\r\nConnection: close\r\n")
    status, head, _ = status_and_body(raw(server, req))
    assert status == 200 and "Content-Encoding" not in head


def test_cors(server):
    req = dynamodb_request("DynamoDB_20120810.ListTables", "{}",
                           "Origin: https://example.com\r\nConnection: close\r\n")
    status, head, _ = status_and_body(raw(server, req))
    assert status == 200 and "Access-Control-Allow-Origin: *" in head
    preflight = (b"OPTIONS / HTTP/1.1\r\nHost: x\r\nOrigin: https://example.com\r\n"
                 b"Access-Control-Request-Method: POST\r\n"
                 b"Access-Control-Request-Headers: x-amz-target\r\nConnection: close\r\n\r\n")
    status, head, body = status_and_body(raw(server, preflight))
    assert status == 200 and body == ""
    assert "Access-Control-Allow-Methods: POST" in head
    assert "Access-Control-Allow-Headers: x-amz-target" in head
    no_origin = dynamodb_request("DynamoDB_20120810.ListTables", "{}", "Connection: close\r\n")
    assert "Access-Control" not in status_and_body(raw(server, no_origin))[1]
