"""Data survives restarts: a clean one (SIGTERM) and a crash (SIGKILL)."""
import signal
import threading

from conftest import unique_name


def make_table(dynamodb):
    name = unique_name()
    dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST")
    return name


def test_tables_and_items_survive_restart(private_server):
    dynamodb = private_server.client("dynamodb")
    name = make_table(dynamodb)
    dynamodb.put_item(TableName=name, Item={"id": {"S": "a"}, "v": {"N": "1"}})
    table_id = dynamodb.describe_table(TableName=name)["Table"]["TableId"]

    assert private_server.stop(signal.SIGTERM) == 0  # a graceful stop exits 0
    private_server.start()
    dynamodb = private_server.client("dynamodb")
    assert dynamodb.describe_table(TableName=name)["Table"]["TableId"] == table_id
    assert name in dynamodb.list_tables()["TableNames"]
    assert dynamodb.get_item(TableName=name, Key={"id": {"S": "a"}})["Item"]["v"] == {"N": "1"}


def write_until_killed(server, name, item_of, at_least):
    """Four writers put items until the server is SIGKILLed after at least
    `at_least` acknowledged writes; returns the acknowledged keys."""
    acknowledged = []
    stop = threading.Event()

    def writer(worker):
        client = server.client("dynamodb")
        i = 0
        while not stop.is_set():
            key = f"w{worker}-{i}"
            try:
                client.put_item(TableName=name, Item=item_of(key))
            except Exception:  # the kill lands mid-request: that write was never acknowledged
                return
            acknowledged.append(key)
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    while len(acknowledged) < at_least:
        threads[0].join(0.01)
    server.stop(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join()
    return acknowledged


def test_acknowledged_writes_survive_kill_9(private_server):
    dynamodb = private_server.client("dynamodb")
    name = make_table(dynamodb)
    acknowledged = write_until_killed(private_server, name, lambda k: {"id": {"S": k}}, 300)

    private_server.start()
    dynamodb = private_server.client("dynamodb")
    missing = [k for k in acknowledged
               if "Item" not in dynamodb.get_item(TableName=name, Key={"id": {"S": k}})]
    assert missing == []


def test_index_entries_and_stream_records_survive_kill_9(private_server):
    """Under load, then SIGKILL: every acknowledged write is back with its
    index entry and its stream record (they share the item's commit)."""
    dynamodb = private_server.client("dynamodb")
    name = unique_name()
    arn = dynamodb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                              {"AttributeName": "group", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "by_group",
                                 "KeySchema": [{"AttributeName": "group", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )["TableDescription"]["LatestStreamArn"]
    acknowledged = write_until_killed(
        private_server, name, lambda k: {"id": {"S": k}, "group": {"S": "g"}}, 200)

    private_server.start()
    dynamodb = private_server.client("dynamodb")
    indexed = set()
    for page in dynamodb.get_paginator("query").paginate(
            TableName=name, IndexName="by_group", KeyConditionExpression="#g = :g",
            ExpressionAttributeNames={"#g": "group"}, ExpressionAttributeValues={":g": {"S": "g"}}):
        indexed.update(item["id"]["S"] for item in page["Items"])
    stored = set()
    for page in dynamodb.get_paginator("scan").paginate(TableName=name):
        stored.update(item["id"]["S"] for item in page["Items"])
    assert set(acknowledged) <= stored
    assert indexed == stored  # no entry without its item, no item without its entry

    streams = private_server.client("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    recorded = []
    while it:
        page = streams.get_records(ShardIterator=it)
        if not page["Records"]:
            break
        recorded += [r["dynamodb"]["Keys"]["id"]["S"] for r in page["Records"]]
        it = page.get("NextShardIterator")
    assert sorted(recorded) == sorted(stored)  # one INSERT record per stored item
