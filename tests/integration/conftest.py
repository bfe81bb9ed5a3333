"""Fixtures that run the real stratus binary on a free loopback port.

Every server started here listens on 127.0.0.1 with --port 0, keeps its data
in a temporary directory, and is stopped when its fixture ends (and at exit,
should a test die half-way).
"""
import atexit
import os
import pathlib
import signal
import subprocess
import tempfile
import time
import uuid

import boto3
import botocore.config
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("STRATUS_BIN", REPO / "build" / "stratus"))
REGION = "us-east-1"
_running = []


def _stop_all():
    for proc in list(_running):
        if proc.poll() is None:
            proc.kill()


atexit.register(_stop_all)


class Server:
    """One stratus process; restartable on the same data directory."""

    def __init__(self, data_dir, extra_args=(), env=None):
        self.data_dir = pathlib.Path(data_dir)
        self.extra_args = list(extra_args)
        self.env = env
        self.proc = None
        self.port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        args = [str(BINARY), "serve", "--port", "0", "--data-dir", str(self.data_dir),
                *self.extra_args]
        # The log goes to a file: a pipe nobody drains would block a chatty server.
        self.log_path = pathlib.Path(tempfile.gettempdir()) / f"stratus-{id(self)}.log"
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._log,
                                     text=True, env=self.env)
        _running.append(self.proc)
        line = self.proc.stdout.readline()  # "stratus X listening on http://127.0.0.1:PORT"
        if "listening on" not in line:
            self.proc.kill()
            raise RuntimeError(f"stratus did not start: {line!r} {self.log()!r}")
        self.port = int(line.rsplit(":", 1)[1])
        return self

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc in _running:
            _running.remove(self.proc)
        code = self.proc.returncode if self.proc else None
        if self.proc:
            self.proc.stdout.close()
            self._log.close()
        self.proc = None
        return code

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def restart(self, sig=signal.SIGTERM):
        self.stop(sig)
        return self.start()

    def client(self, service, access_key="AKIDSTRATUSTEST", secret_key="secret", **kwargs):
        return boto3.client(
            service, endpoint_url=self.url, region_name=REGION,
            aws_access_key_id=access_key, aws_secret_access_key=secret_key,
            config=botocore.config.Config(retries={"max_attempts": 1}, **kwargs))


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A server shared by the tests that do not restart or reconfigure it."""
    srv = Server(tmp_path_factory.mktemp("shared-data")).start()
    yield srv
    srv.stop()


@pytest.fixture
def private_server(tmp_path):
    """A server of the test's own, free to be restarted or killed."""
    srv = Server(tmp_path / "data").start()
    yield srv
    srv.stop(signal.SIGKILL)


@pytest.fixture(scope="session")
def dynamodb(server):
    # The server's validation is under test, not botocore's.
    return server.client("dynamodb", parameter_validation=False)


@pytest.fixture(scope="session")
def logs(server):
    # The server's validation is under test, not botocore's.
    return server.client("logs", parameter_validation=False)


@pytest.fixture(scope="session")
def sts(server):
    return server.client("sts")


@pytest.fixture(scope="session")
def apigw(server):
    return server.client("apigateway")


def unique_name(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def table(dynamodb):
    """A fresh table with a string hash key `pk` and a number range key `sk`."""
    name = unique_name("table")
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST")
    yield name
    try:
        dynamodb.delete_table(TableName=name)
    except dynamodb.exceptions.ResourceNotFoundException:
        pass


def aws_cli(server, *args, check=True, access_key="AKIDSTRATUSTEST", secret_key="secret"):
    """Runs Debian's AWS CLI v2 against the server; returns the completed process."""
    proc = subprocess.run(["/usr/bin/aws", "--endpoint-url", server.url, "--output", "json", *args],
                          capture_output=True, text=True,
                          env=aws_cli_env(access_key, secret_key), timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)} failed: {proc.stderr}")
    return proc


def aws_cli_env(access_key="AKIDSTRATUSTEST", secret_key="secret"):
    """The environment aws_cli runs the CLI in: no user configuration."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": tempfile.gettempdir(),
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
    }


def wait_for(predicate, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def raw_dynamodb(server, operation, body):
    """A DynamoDB call without botocore (for members its model lacks); returns
    (status, decoded body). Default mode accepts any well-formed signature."""
    import json
    import urllib.error
    import urllib.request
    req = urllib.request.Request(server.url + "/", data=json.dumps(body).encode(), method="POST",
                                 headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"DynamoDB_20120810.{operation}",
        "X-Amz-Date": "20260101T000000Z",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/"
                         "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, json.loads(res.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")
