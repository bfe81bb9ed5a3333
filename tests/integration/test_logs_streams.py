"""CloudWatch Logs: log streams, with boto3 and the AWS CLI."""
import json
import time

import pytest

from conftest import aws_cli, unique_name


@pytest.fixture
def group(logs):
    name = unique_name("streams")
    logs.create_log_group(logGroupName=name)
    yield name
    try:
        logs.delete_log_group(logGroupName=name)
    except logs.exceptions.ResourceNotFoundException:
        pass


def now_ms():
    return int(time.time() * 1000)


def error_of(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def test_create_and_describe(logs, group):
    logs.create_log_stream(logGroupName=group, logStreamName="2026/01/01/[$LATEST]abc")
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert len(streams) == 1
    s = streams[0]
    assert s["logStreamName"] == "2026/01/01/[$LATEST]abc"
    assert s["arn"] == (f"arn:aws:logs:us-east-1:000000000000:log-group:{group}:log-stream:"
                        "2026/01/01/[$LATEST]abc")
    assert s["storedBytes"] == 0
    assert s["creationTime"] > 1_600_000_000_000
    for absent in ("firstEventTimestamp", "lastEventTimestamp", "lastIngestionTime",
                   "uploadSequenceToken"):
        assert absent not in s


def test_event_times_show_after_put(logs, group):
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    t = now_ms()
    put = logs.put_log_events(logGroupName=group, logStreamName="s",
                              logEvents=[{"timestamp": t - 5, "message": "a"},
                                         {"timestamp": t, "message": "b"}])
    s = logs.describe_log_streams(logGroupName=group)["logStreams"][0]
    assert s["firstEventTimestamp"] == t - 5
    assert s["lastEventTimestamp"] == t
    assert s["lastIngestionTime"] >= t - 60_000
    assert s["uploadSequenceToken"] == put["nextSequenceToken"]


def test_errors(logs, group):
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException) as e:
        logs.create_log_stream(logGroupName=group, logStreamName="s")
    assert error_of(e) == ("ResourceAlreadyExistsException",
                           "The specified log stream already exists")
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.create_log_stream(logGroupName=group + "-missing", logStreamName="s")
    assert error_of(e)[1] == "The specified log group does not exist."
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.create_log_stream(logGroupName=group, logStreamName="a:b")
    assert "Member must satisfy regular expression pattern: [^:*]*" in error_of(e)[1]
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.describe_log_streams(logGroupName=group + "-missing")
    assert error_of(e)[1] == "The specified log group does not exist."


def test_delete(logs, group):
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    logs.put_log_events(logGroupName=group, logStreamName="s",
                        logEvents=[{"timestamp": now_ms(), "message": "gone soon"}])
    logs.delete_log_stream(logGroupName=group, logStreamName="s")
    assert logs.describe_log_streams(logGroupName=group)["logStreams"] == []
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.delete_log_stream(logGroupName=group, logStreamName="s")
    assert error_of(e) == ("ResourceNotFoundException",
                           "The specified log stream does not exist.")
    # A stream of the same name starts empty.
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    assert logs.get_log_events(logGroupName=group, logStreamName="s")["events"] == []


def test_deleting_the_group_deletes_streams_and_events(logs):
    name = unique_name("cascade")
    logs.create_log_group(logGroupName=name)
    logs.create_log_stream(logGroupName=name, logStreamName="s")
    logs.put_log_events(logGroupName=name, logStreamName="s",
                        logEvents=[{"timestamp": now_ms(), "message": "x"}])
    logs.delete_log_group(logGroupName=name)
    logs.create_log_group(logGroupName=name)
    assert logs.describe_log_streams(logGroupName=name)["logStreams"] == []
    logs.create_log_stream(logGroupName=name, logStreamName="s")
    assert logs.get_log_events(logGroupName=name, logStreamName="s")["events"] == []
    assert logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]["storedBytes"] == 0
    logs.delete_log_group(logGroupName=name)


def test_order_prefix_and_pages(server, logs, group):
    t = now_ms() - 10_000
    for name, offset in (("b", 3), ("a", 1), ("c", 2), ("other", 0)):
        logs.create_log_stream(logGroupName=group, logStreamName=name)
        logs.put_log_events(logGroupName=group, logStreamName=name,
                            logEvents=[{"timestamp": t + offset, "message": name}])

    def names(**kwargs):
        out = []
        for page in logs.get_paginator("describe_log_streams").paginate(
                logGroupName=group, PaginationConfig={"PageSize": 1}, **kwargs):
            out += [s["logStreamName"] for s in page["logStreams"]]
        return out

    assert names() == ["a", "b", "c", "other"]
    assert names(descending=True) == ["other", "c", "b", "a"]
    assert names(logStreamNamePrefix="o") == ["other"]
    assert names(orderBy="LastEventTime") == ["other", "a", "c", "b"]
    assert names(orderBy="LastEventTime", descending=True) == ["b", "c", "a", "other"]
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime",
                                  logStreamNamePrefix="a")
    assert error_of(e)[1] == "Cannot order by LastEventTime with a logStreamNamePrefix."
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.describe_log_streams(logGroupName=group, orderBy="Nope")
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.describe_log_streams(logGroupName=group, nextToken="bogus")
    # The latest stream, as scripts ask for it.
    out = json.loads(aws_cli(server, "logs", "describe-log-streams", "--log-group-name", group,
                             "--order-by", "LastEventTime", "--descending", "--max-items",
                             "1").stdout)
    assert [s["logStreamName"] for s in out["logStreams"]] == ["b"]
