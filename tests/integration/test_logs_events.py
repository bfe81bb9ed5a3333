"""CloudWatch Logs: PutLogEvents, GetLogEvents, FilterLogEvents and `aws logs tail`."""
import json
import subprocess
import threading
import time

import pytest

from conftest import aws_cli, aws_cli_env, unique_name, wait_for


@pytest.fixture
def stream(logs):
    """A fresh (group, stream)."""
    group = unique_name("events")
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    yield group, "s"
    logs.delete_log_group(logGroupName=group)


def now_ms():
    return int(time.time() * 1000)


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def put(logs, group, name, messages, start=None, step=1):
    t = now_ms() - 60_000 if start is None else start
    return logs.put_log_events(
        logGroupName=group, logStreamName=name,
        logEvents=[{"timestamp": t + i * step, "message": m} for i, m in enumerate(messages)])


# ---- PutLogEvents -------------------------------------------------------------------

def test_put_and_get(logs, stream):
    group, name = stream
    t = now_ms() - 1000
    first = logs.put_log_events(logGroupName=group, logStreamName=name,
                                logEvents=[{"timestamp": t, "message": "hello"},
                                           {"timestamp": t, "message": "world"}])
    assert len(first["nextSequenceToken"]) == 56
    assert "rejectedLogEventsInfo" not in first
    # The sequence token is accepted and ignored, as AWS does since 2023.
    second = logs.put_log_events(logGroupName=group, logStreamName=name, sequenceToken="whatever",
                                 logEvents=[{"timestamp": t + 1, "message": "again"}])
    assert second["nextSequenceToken"] != first["nextSequenceToken"]
    events = logs.get_log_events(logGroupName=group, logStreamName=name)["events"]
    assert [e["message"] for e in events] == ["hello", "world", "again"]
    assert [e["timestamp"] for e in events] == [t, t, t + 1]
    assert all(e["ingestionTime"] >= t for e in events)


def test_missing_group_or_stream(logs, stream):
    group, _ = stream
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        put(logs, group + "-missing", "s", ["x"])
    assert error_of(e)[1] == "The specified log group does not exist."
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        put(logs, group, "missing", ["x"])
    assert error_of(e)[1] == "The specified log stream does not exist."
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.get_log_events(logGroupName=group, logStreamName="missing")
    assert error_of(e)[1] == "The specified log stream does not exist."


def test_batch_rules(logs, stream):
    group, name = stream
    t = now_ms()
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.put_log_events(logGroupName=group, logStreamName=name,
                            logEvents=[{"timestamp": t, "message": "b"},
                                       {"timestamp": t - 1, "message": "a"}])
    assert error_of(e)[1] == ("Log events in a single PutLogEvents request must be in "
                              "chronological order.")
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.put_log_events(logGroupName=group, logStreamName=name,
                            logEvents=[{"timestamp": t - 25 * 3600_000, "message": "a"},
                                       {"timestamp": t, "message": "b"}])
    assert error_of(e)[1] == ("The batch of log events in a single PutLogEvents request cannot "
                              "span more than 24 hours.")
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        put(logs, group, name, ["x" * (262144 - 26 + 1)])
    assert error_of(e)[1] == "Log event too large: 262145 bytes exceeds limit of 262144"
    put(logs, group, name, ["x" * (262144 - 26)])  # exactly at the limit
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        put(logs, group, name, ["y" * 200_000] * 6)
    assert error_of(e)[1] == "Upload too large: 1200156 bytes exceeds limit of 1048576"
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.put_log_events(logGroupName=group, logStreamName=name, logEvents=[])
    assert "Member must have length greater than or equal to 1" in error_of(e)[1]
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        put(logs, group, name, ["m"] * 10_001, step=0)
    assert "Member must have length less than or equal to 10000" in error_of(e)[1]
    put(logs, group, name, ["m"] * 10_000, step=0)
    # Nothing of the failed batches was stored.
    events = logs.get_log_events(logGroupName=group, logStreamName=name, startFromHead=True,
                                 limit=1)["events"]
    assert len(events[0]["message"]) == 262144 - 26


def test_too_old_too_new_and_expired_are_reported(logs, stream):
    group, name = stream
    t = now_ms()
    old = logs.put_log_events(logGroupName=group, logStreamName=name, logEvents=[
        {"timestamp": t - 15 * 86400_000, "message": "too old"},
        {"timestamp": t - 15 * 86400_000 + 1, "message": "too old too"}])
    assert old["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 1}
    new = logs.put_log_events(logGroupName=group, logStreamName=name, logEvents=[
        {"timestamp": t, "message": "fine"},
        {"timestamp": t + 3 * 3600_000, "message": "too new"}])
    assert new["rejectedLogEventsInfo"] == {"tooNewLogEventStartIndex": 1}
    logs.put_retention_policy(logGroupName=group, retentionInDays=1)
    expired = logs.put_log_events(logGroupName=group, logStreamName=name, logEvents=[
        {"timestamp": t - 2 * 86400_000, "message": "expired"},
        {"timestamp": t - 2 * 86400_000 + 5, "message": "expired too"}])
    assert expired["rejectedLogEventsInfo"] == {"expiredLogEventEndIndex": 1}
    events = logs.get_log_events(logGroupName=group, logStreamName=name)["events"]
    assert [e["message"] for e in events] == ["fine"]


# ---- GetLogEvents -------------------------------------------------------------------

def test_get_pages_forward_until_the_token_repeats(logs, stream):
    group, name = stream
    put(logs, group, name, [f"m{i}" for i in range(7)])
    seen, token, calls = [], None, 0
    kwargs = {"logGroupName": group, "logStreamName": name, "startFromHead": True, "limit": 3}
    while calls < 10:
        calls += 1
        out = logs.get_log_events(**kwargs)
        seen += [e["message"] for e in out["events"]]
        if out["nextForwardToken"] == token:
            assert out["events"] == []
            break
        token = out["nextForwardToken"]
        kwargs["nextToken"] = token
    assert seen == [f"m{i}" for i in range(7)]
    assert calls == 4
    assert token.startswith("f/") and token.endswith("/s")
    # Later events appear behind the same token.
    put(logs, group, name, ["late"], start=now_ms())
    assert [e["message"] for e in logs.get_log_events(**kwargs)["events"]] == ["late"]


def test_get_from_the_tail_and_backward(logs, stream):
    group, name = stream
    put(logs, group, name, [f"m{i}" for i in range(5)])
    tail = logs.get_log_events(logGroupName=group, logStreamName=name, limit=2)
    assert [e["message"] for e in tail["events"]] == ["m3", "m4"]
    assert tail["nextBackwardToken"].startswith("b/")
    back = logs.get_log_events(logGroupName=group, logStreamName=name, limit=2,
                               nextToken=tail["nextBackwardToken"])
    assert [e["message"] for e in back["events"]] == ["m1", "m2"]
    forward = logs.get_log_events(logGroupName=group, logStreamName=name, limit=10,
                                  nextToken=back["nextForwardToken"])
    assert [e["message"] for e in forward["events"]] == ["m3", "m4"]
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.get_log_events(logGroupName=group, logStreamName=name, nextToken="f/nonsense/s")
    assert error_of(e)[1] == "The specified nextToken is invalid."


def test_get_time_range(logs, stream):
    group, name = stream
    t = now_ms() - 60_000
    put(logs, group, name, ["a", "b", "c", "d"], start=t, step=10)
    out = logs.get_log_events(logGroupName=group, logStreamName=name, startTime=t + 10,
                              endTime=t + 30, startFromHead=True)
    assert [e["message"] for e in out["events"]] == ["b", "c"]  # endTime is exclusive


def test_get_with_the_cli(server, logs, stream):
    group, name = stream
    put(logs, group, name, ["from the cli"])
    out = json.loads(aws_cli(server, "logs", "get-log-events", "--log-group-name", group,
                             "--log-stream-name", name).stdout)
    assert [e["message"] for e in out["events"]] == ["from the cli"]
    assert out["nextForwardToken"].startswith("f/")


# ---- FilterLogEvents ----------------------------------------------------------------

@pytest.fixture
def filled(logs):
    group = unique_name("filter")
    logs.create_log_group(logGroupName=group)
    t = now_ms() - 60_000
    lines = {
        "app/1": [(0, "ERROR disk full"), (2, '{"level":"error","latency":250}'),
                  (4, "INFO all good")],
        "app/2": [(1, "WARN slow"), (3, '{"level":"info","latency":50}'),
                  (5, '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a.html HTTP/1.0" 404 2326')],
        "web": [(6, "ERROR from web")],
    }
    for name, events in lines.items():
        logs.create_log_stream(logGroupName=group, logStreamName=name)
        logs.put_log_events(logGroupName=group, logStreamName=name,
                            logEvents=[{"timestamp": t + o, "message": m} for o, m in events])
    yield group, t
    logs.delete_log_group(logGroupName=group)


def filtered(logs, group, **kwargs):
    out = []
    for page in logs.get_paginator("filter_log_events").paginate(logGroupName=group, **kwargs):
        out += page["events"]
    return out


def test_filter_interleaves_all_streams(logs, filled):
    group, t = filled
    events = filtered(logs, group)
    assert [e["timestamp"] - t for e in events] == [0, 1, 2, 3, 4, 5, 6]
    assert [e["logStreamName"] for e in events][:2] == ["app/1", "app/2"]
    assert len({e["eventId"] for e in events}) == 7
    assert all(e["ingestionTime"] >= t for e in events)


@pytest.mark.parametrize("pattern,offsets", [
    ("ERROR", [0, 6]),
    ("?ERROR ?WARN", [0, 1, 6]),
    ("ERROR -web", [0]),
    ('"disk full"', [0]),
    ('{ $.level = "error" }', [2]),
    ("{ $.latency > 100 }", [2]),
    ('{ $.latency < 100 || $.level = "error" }', [2, 3]),
    ("{ $.missing NOT EXISTS }", [2, 3]),
    ("[ip, id, user, timestamp, request, status_code = 4*, bytes > 1000]", [5]),
    ("[..., status_code = 200, bytes]", []),
    ("%[Ww]ARN%", [1]),
    ("", [0, 1, 2, 3, 4, 5, 6]),
])
def test_filter_patterns(logs, filled, pattern, offsets):
    group, t = filled
    assert [e["timestamp"] - t for e in filtered(logs, group, filterPattern=pattern)] == offsets


def test_filter_streams_time_and_pages(logs, filled):
    group, t = filled
    assert [e["timestamp"] - t for e in filtered(logs, group, logStreamNamePrefix="app/")] == \
        [0, 1, 2, 3, 4, 5]
    assert [e["timestamp"] - t for e in filtered(logs, group, logStreamNames=["web", "app/2"])] == \
        [1, 3, 5, 6]
    # startTime and endTime are both inclusive.
    assert [e["timestamp"] - t for e in filtered(logs, group, startTime=t + 2, endTime=t + 4)] == \
        [2, 3, 4]
    page = logs.filter_log_events(logGroupName=group, limit=2)
    assert len(page["events"]) == 2 and "nextToken" in page
    assert {s["logStreamName"] for s in page["searchedLogStreams"]} == {"app/1", "app/2", "web"}
    paged = filtered(logs, group, PaginationConfig={"PageSize": 2})
    assert [e["timestamp"] - t for e in paged] == [0, 1, 2, 3, 4, 5, 6]
    last = logs.filter_log_events(logGroupName=group, limit=7)
    assert "nextToken" not in last


def test_filter_errors(logs, filled):
    group, _ = filled
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.filter_log_events(logGroupName=group, filterPattern="Status: timeout")
    assert error_of(e)[1] == "Invalid character(s) in term ':'"
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.filter_log_events(logGroupName=group, filterPattern="{ $.a = ")
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.filter_log_events(logGroupName=group, logStreamNames=["web"],
                               logStreamNamePrefix="w")
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.filter_log_events(logGroupName=group, nextToken="bogus")
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.filter_log_events(logGroupName=group + "-missing")
    assert error_of(e)[1] == "The specified log group does not exist."


def test_filter_with_the_cli(server, filled):
    group, _ = filled
    out = json.loads(aws_cli(server, "logs", "filter-log-events", "--log-group-name", group,
                             "--filter-pattern", "ERROR", "--page-size", "1").stdout)
    assert [e["message"] for e in out["events"]] == ["ERROR disk full", "ERROR from web"]


def test_cli_tail(server, filled):
    group, _ = filled
    out = aws_cli(server, "logs", "tail", group, "--since", "1h").stdout
    lines = out.strip().splitlines()
    assert len(lines) == 7
    assert "app/1 ERROR disk full" in lines[0]
    assert lines[-1].endswith("web ERROR from web")
    errors = aws_cli(server, "logs", "tail", group, "--since", "1h", "--filter-pattern", "ERROR",
                     "--format", "short").stdout.strip().splitlines()
    assert [line.split(" ", 1)[1] for line in errors] == ["ERROR disk full", "ERROR from web"]
    # Nothing that old: --since excludes everything.
    past = aws_cli(server, "logs", "tail", group, "--since", "2026-01-01T00:00:00",
                   "--log-stream-name-prefix", "nothing")
    assert past.stdout.strip() == ""


def test_cli_tail_follow(server, logs, stream):
    """`aws logs tail --follow` polls FilterLogEvents from the newest timestamp it saw
    and drops the eventIds it already printed: each line shows exactly once."""
    group, name = stream
    put(logs, group, name, ["first line"], start=now_ms() - 1000)
    proc = subprocess.Popen(["/usr/bin/aws", "--endpoint-url", server.url, "logs", "tail", group,
                             "--follow", "--format", "short"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**aws_cli_env(), "PYTHONUNBUFFERED": "1"})
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),
                              daemon=True)
    reader.start()
    try:
        assert wait_for(lambda: any("first line" in line for line in lines), timeout=60)
        put(logs, group, name, ["second line"], start=now_ms())
        # The CLI polls every 5 seconds.
        assert wait_for(lambda: any("second line" in line for line in lines), timeout=60)
        time.sleep(6)  # one more poll, which sees "second line" again and must drop it
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    shown = [line.split(" ", 1)[1].strip() for line in lines]
    assert shown == ["first line", "second line"]
