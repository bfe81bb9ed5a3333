"""Lambda's functions, versions, aliases, policies and code survive a clean
restart and a crash."""
import json
import signal
import threading
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

from lambda_support import create_function, make_zip


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_functions_survive_restart(private_server, sig):
    awslambda = private_server.client("lambda")
    zip_bytes = make_zip({"index.js": "exports.handler = async () => 'kept';\n"})
    name = create_function(awslambda, zip_bytes=zip_bytes, Publish=True, Tags={"k": "v"},
                           Environment={"Variables": {"TABLE": "things"}})
    awslambda.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    awslambda.add_permission(FunctionName=name, StatementId="s", Action="lambda:InvokeFunction",
                             Principal="apigateway.amazonaws.com")
    awslambda.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=3)
    awslambda.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1)
    before = awslambda.get_function(FunctionName=name)

    private_server.restart(sig)
    awslambda = private_server.client("lambda")
    after = awslambda.get_function(FunctionName=name)
    assert after["Configuration"] == before["Configuration"]
    assert after["Tags"] == {"k": "v"}
    assert after["Concurrency"] == {"ReservedConcurrentExecutions": 3}
    assert awslambda.get_alias(FunctionName=name, Name="live")["FunctionVersion"] == "1"
    assert [s["Sid"] for s in json.loads(awslambda.get_policy(FunctionName=name)["Policy"])[
        "Statement"]] == ["s"]
    assert awslambda.get_function_event_invoke_config(FunctionName=name)[
        "MaximumRetryAttempts"] == 1
    with urllib.request.urlopen(after["Code"]["Location"], timeout=10) as res:
        assert res.read() == zip_bytes
    # A download URL handed out before the restart still works.
    with urllib.request.urlopen(before["Code"]["Location"].replace(
            before["Code"]["Location"].split("/_stratus")[0], private_server.url),
            timeout=10) as res:
        assert res.read() == zip_bytes
    assert awslambda.publish_version(FunctionName=name)["Version"] == "1"


def test_sigterm_in_the_middle_of_invocations_exits_cleanly(private_server):
    """Shutdown while functions run: the server stops them, lets each
    invocation end and exits 0; a restart serves the function again."""
    awslambda = private_server.client("lambda", read_timeout=30)
    name = create_function(
        awslambda, runtime="python3.12", Timeout=30,
        zip_bytes=make_zip({"index.py": "import time\n"
                                        "def handler(event, context):\n"
                                        "    time.sleep(event.get('sleep', 0))\n"
                                        "    return 'done'\n"}))
    awslambda.invoke(FunctionName=name, Payload=b'{}')  # warm
    started = threading.Barrier(7)

    def invoke():
        started.wait()
        try:
            awslambda.invoke(FunctionName=name, Payload=b'{"sleep": 5}')
        except (ClientError, ConnectionClosedError, EndpointConnectionError):
            pass  # cut off by the shutdown

    threads = [threading.Thread(target=invoke) for _ in range(6)]
    for t in threads:
        t.start()
    started.wait()
    time.sleep(1.0)  # the invocations are running
    assert private_server.stop(signal.SIGTERM) == 0
    for t in threads:
        t.join()
    private_server.start()
    awslambda = private_server.client("lambda")
    assert awslambda.invoke(FunctionName=name)["Payload"].read() == b'"done"'
