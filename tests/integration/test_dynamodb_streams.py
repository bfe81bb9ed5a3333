"""DynamoDB Streams: StreamSpecification on CreateTable/UpdateTable, the
records every write path leaves, and the dynamodbstreams API."""

import threading
import time

import pytest
from botocore.exceptions import ClientError

from conftest import unique_name, wait_for


@pytest.fixture(scope="module")
def streams(server):
    return server.client("dynamodbstreams")


def stream_table(dynamodb, view="NEW_AND_OLD_IMAGES", **extra):
    name = unique_name("st")
    out = dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view},
        **extra,
    )
    return name, out["TableDescription"]["LatestStreamArn"]


def read_all(streams, arn, iterator_type="TRIM_HORIZON", **kwargs):
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType=iterator_type, **kwargs
    )["ShardIterator"]
    records = []
    while it:
        page = streams.get_records(ShardIterator=it)
        records += page["Records"]
        if not page["Records"]:
            break
        it = page.get("NextShardIterator")
    return records


def s(v):
    return {"S": v}


def test_records_for_insert_modify_remove_with_both_images(dynamodb, streams):
    name, arn = stream_table(dynamodb)
    described = dynamodb.describe_table(TableName=name)["Table"]
    assert described["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert described["LatestStreamArn"] == arn
    assert arn.startswith(f"arn:aws:dynamodb:us-east-1:") and f":table/{name}/stream/" in arn

    dynamodb.put_item(TableName=name, Item={"pk": s("a"), "v": s("1")})
    dynamodb.update_item(
        TableName=name, Key={"pk": s("a")}, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": s("2")}
    )
    dynamodb.put_item(TableName=name, Item={"pk": s("a"), "v": s("2")})  # unchanged: no record
    dynamodb.delete_item(TableName=name, Key={"pk": s("a")})
    dynamodb.delete_item(TableName=name, Key={"pk": s("missing")})  # nothing deleted: no record

    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    insert, modify, remove = (r["dynamodb"] for r in records)
    assert insert["Keys"] == {"pk": s("a")}
    assert insert["NewImage"] == {"pk": s("a"), "v": s("1")} and "OldImage" not in insert
    assert modify["OldImage"]["v"] == s("1") and modify["NewImage"]["v"] == s("2")
    assert remove["OldImage"]["v"] == s("2") and "NewImage" not in remove
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert sequence == sorted(sequence) and len(set(sequence)) == 3
    for r in records:
        assert r["eventSource"] == "aws:dynamodb"
        assert r["eventVersion"] == "1.1"
        assert r["awsRegion"] == "us-east-1"
        assert r["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert r["dynamodb"]["SizeBytes"] > 0
        assert "userIdentity" not in r


@pytest.mark.parametrize(
    "view, new, old",
    [("KEYS_ONLY", False, False), ("NEW_IMAGE", True, False), ("OLD_IMAGE", False, True)],
)
def test_view_types(dynamodb, streams, view, new, old):
    name, arn = stream_table(dynamodb, view)
    dynamodb.put_item(TableName=name, Item={"pk": s("k"), "v": s("1")})
    dynamodb.put_item(TableName=name, Item={"pk": s("k"), "v": s("2")})
    (_, modify) = read_all(streams, arn)
    assert modify["dynamodb"]["Keys"] == {"pk": s("k")}
    assert ("NewImage" in modify["dynamodb"]) == new
    assert ("OldImage" in modify["dynamodb"]) == old


def test_batches_transactions_and_partiql_leave_records(dynamodb, streams):
    name, arn = stream_table(dynamodb, "KEYS_ONLY")
    other, other_arn = stream_table(dynamodb, "KEYS_ONLY")
    dynamodb.batch_write_item(
        RequestItems={name: [{"PutRequest": {"Item": {"pk": s(f"b{i}")}}} for i in range(3)]}
    )
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": s("t")}}},
            {"Put": {"TableName": other, "Item": {"pk": s("t")}}},
        ]
    )
    dynamodb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': 'q'}}")
    keys = [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, arn)]
    assert sorted(keys[:3]) == ["b0", "b1", "b2"] and keys[3:] == ["t", "q"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, other_arn)] == ["t"]


def test_ttl_deletions_are_service_deletions(dynamodb, streams):
    name, arn = stream_table(dynamodb, "OLD_IMAGE")
    dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    dynamodb.put_item(TableName=name, Item={"pk": s("old"), "exp": {"N": str(int(time.time()) - 60)}})
    assert wait_for(lambda: len(read_all(streams, arn)) == 2, timeout=30)
    remove = read_all(streams, arn)[1]
    assert remove["eventName"] == "REMOVE"
    assert remove["userIdentity"] == {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}


def test_shard_iterator_types_and_paging(dynamodb, streams):
    name, arn = stream_table(dynamodb, "KEYS_ONLY")
    for i in range(5):
        dynamodb.put_item(TableName=name, Item={"pk": s(str(i))})
    records = read_all(streams, arn)
    seqs = [r["dynamodb"]["SequenceNumber"] for r in records]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=seqs[2])] == ["2", "3", "4"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=seqs[2])] == ["3", "4"]

    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    empty = streams.get_records(ShardIterator=latest)
    assert empty["Records"] == []
    dynamodb.put_item(TableName=name, Item={"pk": s("after")})
    page = streams.get_records(ShardIterator=empty["NextShardIterator"])
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in page["Records"]] == ["after"]

    trim = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    first = streams.get_records(ShardIterator=trim, Limit=2)
    assert len(first["Records"]) == 2
    second = streams.get_records(ShardIterator=first["NextShardIterator"], Limit=2)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in second["Records"]] == ["2", "3"]


def test_disabling_closes_the_shard_and_enabling_again_makes_a_new_stream(dynamodb, streams):
    name, arn = stream_table(dynamodb, "KEYS_ONLY")
    dynamodb.put_item(TableName=name, Item={"pk": s("x")})
    with pytest.raises(ClientError) as e:
        dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    assert "already has an enabled stream" in e.value.response["Error"]["Message"]

    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert "StreamSpecification" not in dynamodb.describe_table(TableName=name)["Table"]
    dynamodb.put_item(TableName=name, Item={"pk": s("not recorded")})
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] == "DISABLED"
    assert "EndingSequenceNumber" in description["Shards"][0]["SequenceNumberRange"]
    shard = description["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    page = streams.get_records(ShardIterator=it)
    assert len(page["Records"]) == 1
    assert "NextShardIterator" not in page

    with pytest.raises(ClientError) as e:
        dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert e.value.response["Error"]["Code"] == "ValidationException"

    time.sleep(0.002)  # a new label
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    new_arn = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    assert new_arn != arn
    listed = streams.list_streams(TableName=name)["Streams"]
    assert {x["StreamArn"] for x in listed} == {arn, new_arn}
    assert all(x["TableName"] == name for x in listed)


def test_list_streams_paging(dynamodb, streams):
    arns = [stream_table(dynamodb, "KEYS_ONLY")[1] for _ in range(3)]
    seen, start = [], None
    while True:
        kwargs = {"Limit": 1}
        if start:
            kwargs["ExclusiveStartStreamArn"] = start
        page = streams.list_streams(**kwargs)
        seen += [x["StreamArn"] for x in page["Streams"]]
        start = page.get("LastEvaluatedStreamArn")
        if not start:
            break
    for arn in arns:
        assert seen.count(arn) == 1


def test_stream_api_errors(dynamodb, streams):
    name, arn = stream_table(dynamodb, "KEYS_ONLY")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]

    def code(call, **kwargs):
        with pytest.raises(ClientError) as e:
            call(**kwargs)
        return e.value.response["Error"]["Code"]

    assert code(streams.describe_stream, StreamArn="not-an-arn-" + "x" * 40) == "ValidationException"
    assert code(streams.describe_stream, StreamArn=arn.replace(name, name + "x")) == "ResourceNotFoundException"
    assert code(streams.get_shard_iterator, StreamArn=arn, ShardId="shardId-00000000000000000000-nonexist", ShardIteratorType="LATEST") == "ResourceNotFoundException"
    assert code(streams.get_shard_iterator, StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER") == "ValidationException"
    assert code(streams.get_shard_iterator, StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST", SequenceNumber="1" * 21) == "ValidationException"
    assert code(streams.get_records, ShardIterator="garbage-" + "x" * 10) == "ValidationException"
    assert code(streams.get_records, ShardIterator="x" * 10, Limit=1001) == "ValidationException"
    with pytest.raises(ClientError) as e:
        dynamodb.create_table(
            TableName=unique_name("st"),
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True},
        )
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_concurrent_writers_get_distinct_ordered_sequence_numbers(dynamodb, streams):
    name, arn = stream_table(dynamodb, "KEYS_ONLY")

    def writer(w):
        for i in range(40):
            dynamodb.put_item(TableName=name, Item={"pk": s(f"{w}-{i}")})

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records = read_all(streams, arn)
    assert len(records) == 160
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert sequence == sorted(set(sequence))
    # Each writer's own records appear in the order it wrote them.
    for w in range(4):
        mine = [r["dynamodb"]["Keys"]["pk"]["S"] for r in records if r["dynamodb"]["Keys"]["pk"]["S"].startswith(f"{w}-")]
        assert mine == [f"{w}-{i}" for i in range(40)]


def test_records_and_numbering_survive_restart(private_server):
    dynamodb = private_server.client("dynamodb")
    streams = private_server.client("dynamodbstreams")
    name, arn = stream_table(dynamodb, "KEYS_ONLY")
    dynamodb.put_item(TableName=name, Item={"pk": s("before")})
    private_server.restart()
    dynamodb = private_server.client("dynamodb")
    streams = private_server.client("dynamodbstreams")
    dynamodb.put_item(TableName=name, Item={"pk": s("after")})
    records = read_all(streams, arn)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in records] == ["before", "after"]
    assert int(records[0]["dynamodb"]["SequenceNumber"]) < int(records[1]["dynamodb"]["SequenceNumber"])
