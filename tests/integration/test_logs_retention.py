"""CloudWatch Logs: retention is enforced by the sweeper, and everything survives a restart."""
import signal
import time

import pytest

from conftest import Server, wait_for


@pytest.fixture
def fast_sweeper(tmp_path):
    srv = Server(tmp_path / "data", extra_args=["--logs-retention-interval", "0.1"]).start()
    yield srv
    srv.stop(signal.SIGKILL)


def now_ms():
    return int(time.time() * 1000)


def messages(logs, group, stream):
    events = logs.get_log_events(logGroupName=group, logStreamName=stream,
                                 startFromHead=True)["events"]
    return [e["message"] for e in events]


def test_sweeper_deletes_events_older_than_retention(fast_sweeper):
    logs = fast_sweeper.client("logs")
    logs.create_log_group(logGroupName="kept")
    logs.create_log_stream(logGroupName="kept", logStreamName="s")
    t = now_ms()
    # Within the 14 days PutLogEvents accepts, older than a day.
    logs.put_log_events(logGroupName="kept", logStreamName="s", logEvents=[
        {"timestamp": t - 3 * 86400_000, "message": "three days old"},
        {"timestamp": t - 3 * 86400_000 + 1, "message": "also three days old"}])
    logs.put_log_events(logGroupName="kept", logStreamName="s", logEvents=[
        {"timestamp": t - 3600_000, "message": "an hour old"}])
    # A second group without a policy keeps everything.
    logs.create_log_group(logGroupName="forever")
    logs.create_log_stream(logGroupName="forever", logStreamName="s")
    logs.put_log_events(logGroupName="forever", logStreamName="s", logEvents=[
        {"timestamp": t - 3 * 86400_000, "message": "three days old"}])
    time.sleep(0.5)  # a few sweeps without a policy delete nothing
    assert len(messages(logs, "kept", "s")) == 3

    logs.put_retention_policy(logGroupName="kept", retentionInDays=1)
    assert wait_for(lambda: messages(logs, "kept", "s") == ["an hour old"])
    assert messages(logs, "forever", "s") == ["three days old"]
    stored = logs.describe_log_groups(logGroupNamePrefix="kept")["logGroups"][0]["storedBytes"]
    assert stored == len("an hour old")


def test_everything_survives_a_restart(private_server):
    logs = private_server.client("logs")
    logs.create_log_group(logGroupName="/aws/lambda/fn", tags={"team": "a"})
    logs.put_retention_policy(logGroupName="/aws/lambda/fn", retentionInDays=14)
    logs.create_log_stream(logGroupName="/aws/lambda/fn", logStreamName="one")
    t = now_ms() - 10_000
    logs.put_log_events(logGroupName="/aws/lambda/fn", logStreamName="one", logEvents=[
        {"timestamp": t, "message": "before"}])
    before = logs.describe_log_streams(logGroupName="/aws/lambda/fn")["logStreams"]

    private_server.restart()  # SIGTERM
    logs = private_server.client("logs")
    groups = logs.describe_log_groups()["logGroups"]
    assert [(g["logGroupName"], g["retentionInDays"]) for g in groups] == [("/aws/lambda/fn", 14)]
    assert logs.list_tags_log_group(logGroupName="/aws/lambda/fn")["tags"] == {"team": "a"}
    assert logs.describe_log_streams(logGroupName="/aws/lambda/fn")["logStreams"] == before
    assert messages(logs, "/aws/lambda/fn", "one") == ["before"]

    # New events and streams after the restart get ids of their own.
    logs.put_log_events(logGroupName="/aws/lambda/fn", logStreamName="one", logEvents=[
        {"timestamp": t, "message": "after, same time"}])
    logs.create_log_stream(logGroupName="/aws/lambda/fn", logStreamName="two")
    assert messages(logs, "/aws/lambda/fn", "one") == ["before", "after, same time"]
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName="/aws/lambda/fn")

    private_server.restart(signal.SIGKILL)  # acknowledged writes survive kill -9
    logs = private_server.client("logs")
    assert messages(logs, "/aws/lambda/fn", "one") == ["before", "after, same time"]
    names = [s["logStreamName"] for s in
             logs.describe_log_streams(logGroupName="/aws/lambda/fn")["logStreams"]]
    assert names == ["one", "two"]
    ids = {e["eventId"] for e in logs.filter_log_events(logGroupName="/aws/lambda/fn")["events"]}
    assert len(ids) == 2
