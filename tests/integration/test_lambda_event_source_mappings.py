"""Event source mappings from DynamoDB Streams to real functions: a Python
function copies each record it receives into a second table; the tests put
items in the source table and wait for them to arrive there. Also the
mapping API's answers and errors, retries, filters, disabling, deletion and
restarts."""

import json
import signal
import time

import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli, unique_name, wait_for
from lambda_support import ROLE, error_of, make_zip

# Copies each record's key into the table OUT, with what it saw. With
# FAIL_ONCE set, the first invocation leaves a marker item and fails; with
# POISON set, a batch holding that key fails.
COPIER = """
import boto3, os
db = boto3.client('dynamodb')
def handler(event, context):
    out = os.environ['OUT']
    if os.environ.get('FAIL_ONCE'):
        try:
            db.put_item(TableName=out, Item={'id': {'S': 'marker'}},
                        ConditionExpression='attribute_not_exists(id)')
            raise Exception('failing once on purpose')
        except db.exceptions.ConditionalCheckFailedException:
            pass
    poison = os.environ.get('POISON')
    if poison and any(r['dynamodb']['Keys']['id']['S'] == poison for r in event['Records']):
        raise Exception('poison')
    for r in event['Records']:
        db.put_item(TableName=out, Item={
            'id': r['dynamodb']['Keys']['id'],
            'event': {'S': r['eventName']},
            'source': {'S': r['eventSourceARN']},
            'batch': {'N': str(len(event['Records']))}})
    return len(event['Records'])
"""

# An OnFailure destination: keeps what the failure record says.
RECORDER = """
import boto3, os
def handler(event, context):
    info = event['DDBStreamBatchInfo']
    boto3.client('dynamodb').put_item(TableName=os.environ['OUT'], Item={
        'id': {'S': 'failure-' + info['startSequenceNumber']},
        'condition': {'S': event['requestContext']['condition']},
        'size': {'N': str(info['batchSize'])},
        'stream': {'S': info['streamArn']},
        'error': {'S': event['responseContext'].get('functionError', '')}})
"""


@pytest.fixture(scope="module")
def awslambda(server):
    return server.client("lambda", parameter_validation=False)


def make_table(dynamodb, stream=False):
    name = unique_name("esm")
    extra = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}} \
        if stream else {}
    out = dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                **extra)
    return name, out["TableDescription"].get("LatestStreamArn")


def copier(awslambda, out_table, **env):
    name = unique_name("copier")
    awslambda.create_function(FunctionName=name, Runtime="python3.11", Role=ROLE,
                              Handler="index.handler", Code={"ZipFile": make_zip({"index.py": COPIER})},
                              Environment={"Variables": {"OUT": out_table, **env}})
    return name


def put(dynamodb, table, *ids, **attrs):
    for i in ids:
        item = {"id": {"S": i}}
        item.update({k: {"S": v} for k, v in attrs.items()})
        dynamodb.put_item(TableName=table, Item=item)


def copied(dynamodb, table):
    items = dynamodb.scan(TableName=table, ConsistentRead=True)["Items"]
    return {i["id"]["S"]: i for i in items if i["id"]["S"] != "marker"}


def arrived(dynamodb, table, *ids, timeout=60):
    return wait_for(lambda: set(ids) <= set(copied(dynamodb, table)), timeout=timeout, interval=0.2)


def make_pipeline(awslambda, dynamodb, **env):
    source, stream = make_table(dynamodb, stream=True)
    out, _ = make_table(dynamodb)
    fn = copier(awslambda, out, **env)
    return source, stream, out, fn


def test_records_reach_the_function(awslambda, dynamodb):
    source, stream, out, fn = make_pipeline(awslambda, dynamodb)
    created = awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=fn,
                                                    StartingPosition="TRIM_HORIZON")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert created["State"] == "Creating"
    assert created["EventSourceArn"] == stream
    assert created["FunctionArn"].endswith(f":function:{fn}")
    assert created["BatchSize"] == 100
    assert created["StartingPosition"] == "TRIM_HORIZON"
    assert created["MaximumRetryAttempts"] == -1 and created["MaximumRecordAgeInSeconds"] == -1
    assert created["BisectBatchOnFunctionError"] is False
    assert created["LastProcessingResult"] == "No records processed"
    assert created["DestinationConfig"] == {"OnFailure": {}}
    uuid = created["UUID"]
    assert awslambda.get_event_source_mapping(UUID=uuid)["State"] == "Enabled"

    put(dynamodb, source, "a", "b", "c")
    dynamodb.delete_item(TableName=source, Key={"id": {"S": "a"}})
    assert arrived(dynamodb, out, "a", "b", "c")
    got = copied(dynamodb, out)
    assert got["b"]["source"]["S"] == stream
    # The REMOVE of "a" comes after its INSERT, in order.
    assert wait_for(lambda: copied(dynamodb, out)["a"]["event"]["S"] == "REMOVE", timeout=60)
    assert wait_for(lambda: awslambda.get_event_source_mapping(UUID=uuid)["LastProcessingResult"] == "OK",
                    timeout=30)


def test_starting_position_latest_and_trim_horizon(awslambda, dynamodb):
    source, stream = make_table(dynamodb, stream=True)
    out_old, _ = make_table(dynamodb)
    out_new, _ = make_table(dynamodb)
    put(dynamodb, source, "before")
    awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=copier(awslambda, out_old),
                                          StartingPosition="TRIM_HORIZON")
    awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=copier(awslambda, out_new),
                                          StartingPosition="LATEST")
    put(dynamodb, source, "after")
    assert arrived(dynamodb, out_old, "before", "after")
    assert arrived(dynamodb, out_new, "after")
    # Records come in order: "before" would have come first.
    assert "before" not in copied(dynamodb, out_new)


def test_batch_size(awslambda, dynamodb):
    source, stream = make_table(dynamodb, stream=True)
    out_one, _ = make_table(dynamodb)
    out_many, _ = make_table(dynamodb)
    ids = [f"k{i}" for i in range(5)]
    put(dynamodb, source, *ids)  # all in the stream before the mappings start
    one = awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=copier(awslambda, out_one),
                                                StartingPosition="TRIM_HORIZON", BatchSize=1)
    assert one["BatchSize"] == 1
    awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=copier(awslambda, out_many),
                                          StartingPosition="TRIM_HORIZON", BatchSize=10)
    assert arrived(dynamodb, out_one, *ids)
    assert arrived(dynamodb, out_many, *ids)
    assert {i["batch"]["N"] for i in copied(dynamodb, out_one).values()} == {"1"}
    assert {i["batch"]["N"] for i in copied(dynamodb, out_many).values()} == {"5"}


def test_a_failed_batch_is_retried(awslambda, dynamodb):
    source, stream, out, fn = make_pipeline(awslambda, dynamodb, FAIL_ONCE="1")
    uuid = awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=fn,
                                                 StartingPosition="TRIM_HORIZON")["UUID"]
    put(dynamodb, source, "x", "y")
    assert arrived(dynamodb, out, "x", "y")
    marker = dynamodb.get_item(TableName=out, Key={"id": {"S": "marker"}}, ConsistentRead=True)
    assert "Item" in marker  # it did fail once
    assert wait_for(lambda: awslambda.get_event_source_mapping(UUID=uuid)["LastProcessingResult"] == "OK",
                    timeout=30)


def test_filter_criteria(awslambda, dynamodb):
    source, stream, out, fn = make_pipeline(awslambda, dynamodb)
    pattern = {"dynamodb": {"NewImage": {"kind": {"S": ["keep"]}}}}
    created = awslambda.create_event_source_mapping(
        EventSourceArn=stream, FunctionName=fn, StartingPosition="TRIM_HORIZON",
        FilterCriteria={"Filters": [{"Pattern": json.dumps(pattern)}]})
    assert json.loads(created["FilterCriteria"]["Filters"][0]["Pattern"]) == pattern
    put(dynamodb, source, "keep1", kind="keep")
    put(dynamodb, source, "drop1", kind="drop")
    put(dynamodb, source, "keep2", kind="keep")
    assert arrived(dynamodb, out, "keep1", "keep2")
    assert "drop1" not in copied(dynamodb, out)

    with pytest.raises(ClientError) as e:
        awslambda.create_event_source_mapping(
            EventSourceArn=stream, FunctionName=fn, StartingPosition="LATEST",
            FilterCriteria={"Filters": [{"Pattern": "{not json"}]})
    assert error_of(e) == ("InvalidParameterValueException", "Invalid filter pattern definition.", 400)


def test_disable_enable_and_delete(awslambda, dynamodb):
    source, stream, out, fn = make_pipeline(awslambda, dynamodb)
    uuid = awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=fn,
                                                 StartingPosition="LATEST")["UUID"]
    put(dynamodb, source, "one")
    assert arrived(dynamodb, out, "one")

    disabled = awslambda.update_event_source_mapping(UUID=uuid, Enabled=False)
    assert disabled["State"] == "Disabling"
    assert awslambda.get_event_source_mapping(UUID=uuid)["State"] == "Disabled"
    time.sleep(0.5)  # a batch under way finishes
    put(dynamodb, source, "two")
    time.sleep(2)
    assert "two" not in copied(dynamodb, out)

    enabled = awslambda.update_event_source_mapping(UUID=uuid, Enabled=True, BatchSize=50)
    assert enabled["State"] == "Enabling" and enabled["BatchSize"] == 50
    assert arrived(dynamodb, out, "two")

    deleted = awslambda.delete_event_source_mapping(UUID=uuid)
    assert deleted["State"] == "Deleting" and deleted["UUID"] == uuid
    with pytest.raises(ClientError) as e:
        awslambda.get_event_source_mapping(UUID=uuid)
    assert error_of(e) == ("ResourceNotFoundException", "The resource you requested does not exist.", 404)
    put(dynamodb, source, "three")
    time.sleep(2)
    assert "three" not in copied(dynamodb, out)
    assert uuid not in [m["UUID"] for m in awslambda.list_event_source_mappings()["EventSourceMappings"]]


def test_list_filters_and_pages(awslambda, dynamodb):
    source, stream = make_table(dynamodb, stream=True)
    out, _ = make_table(dynamodb)
    fns = [copier(awslambda, out) for _ in range(3)]
    uuids = {awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=f,
                                                   StartingPosition="LATEST", Enabled=False)["UUID"]
             for f in fns}
    by_source = awslambda.list_event_source_mappings(EventSourceArn=stream)["EventSourceMappings"]
    assert {m["UUID"] for m in by_source} == uuids
    assert {m["State"] for m in by_source} == {"Disabled"}
    by_fn = awslambda.list_event_source_mappings(FunctionName=fns[1])["EventSourceMappings"]
    assert [m["FunctionArn"].split(":")[-1] for m in by_fn] == [fns[1]]
    seen, marker = [], None
    while True:
        page = awslambda.list_event_source_mappings(EventSourceArn=stream, MaxItems=2,
                                                    **({"Marker": marker} if marker else {}))
        assert len(page["EventSourceMappings"]) <= 2
        seen += [m["UUID"] for m in page["EventSourceMappings"]]
        marker = page.get("NextMarker")
        if not marker:
            break
    assert sorted(seen) == sorted(uuids)


def test_api_errors(awslambda, dynamodb):
    source, stream, out, fn = make_pipeline(awslambda, dynamodb)

    def error(**kwargs):
        args = {"EventSourceArn": stream, "FunctionName": fn, "StartingPosition": "LATEST", **kwargs}
        with pytest.raises(ClientError) as e:
            awslambda.create_event_source_mapping(**{k: v for k, v in args.items() if v is not None})
        return error_of(e)

    missing_stream = stream.replace(source, source + "-nope")
    assert error(EventSourceArn=missing_stream) == (
        "InvalidParameterValueException", f"Stream not found: {missing_stream}", 400)
    code, message, status = error(FunctionName="no-such-function")
    assert (code, status) == ("ResourceNotFoundException", 404) and "no-such-function" in message
    assert error(StartingPosition=None)[0] == "InvalidParameterValueException"
    assert error(BatchSize=10001) == (
        "ValidationException",
        "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: "
        "Member must have value less than or equal to 10000", 400)
    assert error(MaximumRetryAttempts=-2)[0] == "ValidationException"
    assert error(EventSourceArn="arn:aws:sqs:us-east-1:123456789012:queue")[2] == 501
    assert error(EventSourceArn="arn:aws:s3:::bucket")[0] == "InvalidParameterValueException"

    uuid = awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=fn,
                                                 StartingPosition="LATEST")["UUID"]
    code, message, status = error()
    assert (code, status) == ("ResourceConflictException", 409)
    assert message == (f"The event source arn ({stream}) and function ({fn}) provided mapping already "
                       f"exists. Please update or delete the existing mapping with UUID {uuid}")
    for call in (awslambda.get_event_source_mapping, awslambda.delete_event_source_mapping):
        with pytest.raises(ClientError) as e:
            call(UUID="00000000-0000-0000-0000-000000000000")
        assert error_of(e)[0:3:2] == ("ResourceNotFoundException", 404)
    with pytest.raises(ClientError) as e:
        awslambda.update_event_source_mapping(UUID=uuid, BatchSize=0)
    assert error_of(e)[0] == "ValidationException"
    assert awslambda.get_event_source_mapping(UUID=uuid)["BatchSize"] == 100


def test_mappings_and_checkpoints_survive_a_restart(private_server):
    awslambda = private_server.client("lambda")
    dynamodb = private_server.client("dynamodb")
    source, stream, out, fn = make_pipeline(awslambda, dynamodb)
    uuid = awslambda.create_event_source_mapping(EventSourceArn=stream, FunctionName=fn,
                                                 StartingPosition="LATEST", BatchSize=7)["UUID"]
    put(dynamodb, source, "first")
    assert arrived(dynamodb, out, "first")
    private_server.restart()
    awslambda = private_server.client("lambda")
    dynamodb = private_server.client("dynamodb")
    got = awslambda.get_event_source_mapping(UUID=uuid)
    assert got["State"] == "Enabled" and got["BatchSize"] == 7
    # Written while nothing polls: delivered after the restart.
    put(dynamodb, source, "second", "third")
    private_server.stop(signal.SIGKILL)
    private_server.start()
    dynamodb = private_server.client("dynamodb")
    assert arrived(dynamodb, out, "second", "third")


def test_bisection_and_the_on_failure_destination(awslambda, dynamodb):
    source, stream, out, fn = make_pipeline(awslambda, dynamodb, POISON="poison")
    failures, _ = make_table(dynamodb)
    recorder = unique_name("recorder")
    arn = awslambda.create_function(
        FunctionName=recorder, Runtime="python3.11", Role=ROLE, Handler="index.handler",
        Code={"ZipFile": make_zip({"index.py": RECORDER})},
        Environment={"Variables": {"OUT": failures}})["FunctionArn"]
    put(dynamodb, source, "a", "poison", "b")  # one batch, read after the mapping starts
    created = awslambda.create_event_source_mapping(
        EventSourceArn=stream, FunctionName=fn, StartingPosition="TRIM_HORIZON",
        BisectBatchOnFunctionError=True, MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": arn}})
    assert created["DestinationConfig"] == {"OnFailure": {"Destination": arn}}
    assert created["BisectBatchOnFunctionError"] is True and created["MaximumRetryAttempts"] == 0
    # The halves without the poisoned record get through; it alone fails.
    assert arrived(dynamodb, out, "a", "b")
    assert "poison" not in copied(dynamodb, out)

    def recorded():
        return dynamodb.scan(TableName=failures, ConsistentRead=True)["Items"]

    assert wait_for(lambda: len(recorded()) == 1, timeout=60, interval=0.2)
    failure = recorded()[0]
    assert failure["condition"]["S"] == "RetryAttemptsExhausted"
    assert failure["size"]["N"] == "1"
    assert failure["stream"]["S"] == stream
    assert failure["error"]["S"] == "Unhandled"


def test_aws_cli(server, awslambda, dynamodb):
    source, stream, out, fn = make_pipeline(awslambda, dynamodb)
    created = json.loads(aws_cli(server, "lambda", "create-event-source-mapping", "--function-name", fn,
                                 "--event-source-arn", stream, "--starting-position", "LATEST",
                                 "--batch-size", "5").stdout)
    assert created["State"] == "Creating" and created["BatchSize"] == 5
    listed = json.loads(aws_cli(server, "lambda", "list-event-source-mappings", "--function-name", fn).stdout)
    assert [m["UUID"] for m in listed["EventSourceMappings"]] == [created["UUID"]]
    assert isinstance(listed["EventSourceMappings"][0]["LastModified"], str)  # the CLI renders the date
    put(dynamodb, source, "cli")
    assert arrived(dynamodb, out, "cli")
    aws_cli(server, "lambda", "delete-event-source-mapping", "--uuid", created["UUID"])
    missing = aws_cli(server, "lambda", "get-event-source-mapping", "--uuid", created["UUID"], check=False)
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr
