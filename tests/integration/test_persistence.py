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


def test_acknowledged_writes_survive_kill_9(private_server):
    dynamodb = private_server.client("dynamodb")
    name = make_table(dynamodb)
    acknowledged = []
    stop = threading.Event()

    def writer(worker):
        client = private_server.client("dynamodb")
        i = 0
        while not stop.is_set():
            key = f"w{worker}-{i}"
            try:
                client.put_item(TableName=name, Item={"id": {"S": key}})
            except Exception:  # the kill lands mid-request: that write was never acknowledged
                return
            acknowledged.append(key)
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    while len(acknowledged) < 300:
        threads[0].join(0.01)
    private_server.stop(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join()

    private_server.start()
    dynamodb = private_server.client("dynamodb")
    missing = [k for k in acknowledged
               if "Item" not in dynamodb.get_item(TableName=name, Key={"id": {"S": k}})]
    assert missing == []
