"""Local and global secondary indexes: definitions, maintenance on every
write path, Query/Scan on indexes, projections, sparse indexes, UpdateTable
adding (with backfill) and deleting global indexes."""

import threading

import pytest
from botocore.exceptions import ClientError

from conftest import unique_name


def hash_key_table(dynamodb):
    """A new table keyed by a string `pk` alone, without indexes."""
    name = unique_name("ix")
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def add_color_index(dynamodb, name, projection="ALL"):
    """UpdateTable: a GSI `by_color` on the string attribute `color`."""
    return dynamodb.update_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "color", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "by_color",
            "KeySchema": [{"AttributeName": "color", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": projection},
        }}],
    )


def make_table(dynamodb, **extra):
    name = unique_name("ix")
    args = dict(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "email", "AttributeType": "S"},
            {"AttributeName": "score", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by_email",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
            {
                "IndexName": "by_score",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "score", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["title"]},
            },
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "local_score",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "score", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    args.update(extra)
    dynamodb.create_table(**args)
    return name


def s(v):
    return {"S": v}


def n(v):
    return {"N": str(v)}


def query_index(dynamodb, table, index, condition, values, **extra):
    return dynamodb.query(
        TableName=table,
        IndexName=index,
        KeyConditionExpression=condition,
        ExpressionAttributeValues=values,
        **extra,
    )


def test_describe_table_lists_indexes(dynamodb):
    name = make_table(dynamodb)
    created = dynamodb.describe_table(TableName=name)["Table"]
    gsis = {g["IndexName"]: g for g in created["GlobalSecondaryIndexes"]}
    assert set(gsis) == {"by_email", "by_score"}
    assert gsis["by_email"]["IndexStatus"] == "ACTIVE"
    assert gsis["by_email"]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert gsis["by_score"]["Projection"] == {
        "ProjectionType": "INCLUDE",
        "NonKeyAttributes": ["title"],
    }
    assert gsis["by_email"]["IndexArn"].endswith(f":table/{name}/index/by_email")
    (lsi,) = created["LocalSecondaryIndexes"]
    assert lsi["IndexName"] == "local_score"
    assert "IndexStatus" not in lsi


def test_gsi_follows_put_update_delete(dynamodb):
    name = make_table(dynamodb)
    dynamodb.put_item(TableName=name, Item={"pk": s("u1"), "sk": s("a"), "email": s("x@example.com")})
    got = query_index(dynamodb, name, "by_email", "email = :e", {":e": s("x@example.com")})
    assert got["Items"] == [{"pk": s("u1"), "sk": s("a"), "email": s("x@example.com")}]

    # Changing the index key moves the entry.
    dynamodb.update_item(
        TableName=name,
        Key={"pk": s("u1"), "sk": s("a")},
        UpdateExpression="SET email = :e",
        ExpressionAttributeValues={":e": s("y@example.com")},
    )
    assert query_index(dynamodb, name, "by_email", "email = :e", {":e": s("x@example.com")})["Items"] == []
    assert query_index(dynamodb, name, "by_email", "email = :e", {":e": s("y@example.com")})["Count"] == 1

    # Removing the attribute makes the item leave the (sparse) index.
    dynamodb.update_item(TableName=name, Key={"pk": s("u1"), "sk": s("a")}, UpdateExpression="REMOVE email")
    assert query_index(dynamodb, name, "by_email", "email = :e", {":e": s("y@example.com")})["Items"] == []

    dynamodb.put_item(TableName=name, Item={"pk": s("u1"), "sk": s("a"), "email": s("z@example.com")})
    dynamodb.delete_item(TableName=name, Key={"pk": s("u1"), "sk": s("a")})
    assert query_index(dynamodb, name, "by_email", "email = :e", {":e": s("z@example.com")})["Items"] == []


def test_index_maintained_by_batches_transactions_and_partiql(dynamodb):
    name = make_table(dynamodb)
    dynamodb.batch_write_item(
        RequestItems={
            name: [
                {"PutRequest": {"Item": {"pk": s("b"), "sk": s(str(i)), "score": n(i)}}}
                for i in range(5)
            ]
        }
    )
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": s("b"), "sk": s("9"), "score": n(9)}}},
            {"Delete": {"TableName": name, "Key": {"pk": s("b"), "sk": s("0")}}},
        ]
    )
    dynamodb.execute_statement(Statement=f"UPDATE \"{name}\" SET score = 7 WHERE pk = 'b' AND sk = '1'")
    got = query_index(dynamodb, name, "by_score", "pk = :p", {":p": s("b")})
    assert [i["score"]["N"] for i in got["Items"]] == ["2", "3", "4", "7", "9"]
    dynamodb.batch_write_item(RequestItems={name: [{"DeleteRequest": {"Key": {"pk": s("b"), "sk": s("9")}}}]})
    got = query_index(dynamodb, name, "by_score", "pk = :p AND score > :s", {":p": s("b"), ":s": n(3)})
    assert [i["sk"]["S"] for i in got["Items"]] == ["4", "1"]


def test_index_query_order_paging_and_projection(dynamodb):
    name = make_table(dynamodb)
    for i in range(6):
        dynamodb.put_item(
            TableName=name,
            Item={"pk": s("p"), "sk": s(f"s{i}"), "score": n(10 - i), "title": s(f"t{i}"), "body": s("x")},
        )
    # INCLUDE projects the keys and the included attributes only.
    first = query_index(dynamodb, name, "by_score", "pk = :p", {":p": s("p")}, Limit=4)
    assert [i["score"]["N"] for i in first["Items"]] == ["5", "6", "7", "8"]
    assert set(first["Items"][0]) == {"pk", "sk", "score", "title"}
    assert first["LastEvaluatedKey"] == {"pk": s("p"), "sk": s("s2"), "score": n(8)}
    rest = query_index(
        dynamodb, name, "by_score", "pk = :p", {":p": s("p")}, ExclusiveStartKey=first["LastEvaluatedKey"]
    )
    assert [i["score"]["N"] for i in rest["Items"]] == ["9", "10"]
    assert "LastEvaluatedKey" not in rest
    backwards = query_index(dynamodb, name, "by_score", "pk = :p", {":p": s("p")}, ScanIndexForward=False)
    assert [i["score"]["N"] for i in backwards["Items"]][:2] == ["10", "9"]

    # A GSI cannot answer attributes it does not project.
    with pytest.raises(ClientError) as e:
        query_index(dynamodb, name, "by_score", "pk = :p", {":p": s("p")}, ProjectionExpression="body")
    assert "does not project" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        query_index(dynamodb, name, "by_score", "pk = :p", {":p": s("p")}, Select="ALL_ATTRIBUTES")
    assert "ALL_ATTRIBUTES" in e.value.response["Error"]["Message"]
    # An LSI can: it reads them from the table.
    full = query_index(dynamodb, name, "local_score", "pk = :p", {":p": s("p")}, Select="ALL_ATTRIBUTES")
    assert full["Items"][0]["body"] == s("x")
    keys_only = query_index(dynamodb, name, "local_score", "pk = :p", {":p": s("p")})
    assert set(keys_only["Items"][0]) == {"pk", "sk", "score"}


def test_index_scan_and_count(dynamodb):
    name = make_table(dynamodb)
    for i in range(4):
        item = {"pk": s(f"p{i}"), "sk": s("x")}
        if i % 2:
            item["email"] = s(f"e{i}")
        dynamodb.put_item(TableName=name, Item=item)
    scanned = dynamodb.scan(TableName=name, IndexName="by_email")
    assert sorted(i["email"]["S"] for i in scanned["Items"]) == ["e1", "e3"]
    assert dynamodb.scan(TableName=name, IndexName="by_email", Select="COUNT")["Count"] == 2


def test_index_errors(dynamodb):
    name = make_table(dynamodb)
    with pytest.raises(ClientError) as e:
        query_index(dynamodb, name, "nope", "pk = :p", {":p": s("p")})
    assert e.value.response["Error"]["Message"] == "The table does not have the specified index: nope"
    with pytest.raises(ClientError) as e:
        query_index(dynamodb, name, "by_email", "email = :e", {":e": s("e")}, ConsistentRead=True)
    assert e.value.response["Error"]["Message"] == (
        "Consistent reads are not supported on global secondary indexes"
    )
    with pytest.raises(ClientError) as e:
        dynamodb.put_item(TableName=name, Item={"pk": s("p"), "sk": s("s"), "email": n(3)})
    assert e.value.response["Error"]["Message"] == (
        "One or more parameter values were invalid: Type mismatch for Index Key email "
        "Expected: S Actual: N IndexName: by_email"
    )
    with pytest.raises(ClientError) as e:
        dynamodb.update_item(
            TableName=name,
            Key={"pk": s("p"), "sk": s("s")},
            UpdateExpression="SET email = :e",
            ExpressionAttributeValues={":e": s("")},
        )
    assert "IndexName: by_email, IndexKey: email" in e.value.response["Error"]["Message"]
    # Nothing was written by the refused requests.
    assert "Item" not in dynamodb.get_item(TableName=name, Key={"pk": s("p"), "sk": s("s")})


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"LocalSecondaryIndexes": [{
                "IndexName": "lsi1",
                "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}}]},
            "One or more parameter values were invalid: Index KeySchema does not have the same "
            "leading hash key as table KeySchema for index: lsi1. index hash key: x, table hash key: pk",
        ),
        (
            {"GlobalSecondaryIndexes": [{
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL", "NonKeyAttributes": ["a"]}}]},
            "One or more parameter values were invalid: ProjectionType is ALL, but NonKeyAttributes "
            "is specified",
        ),
        (
            {"GlobalSecondaryIndexes": [{
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "nope", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"}}]},
            "One or more parameter values were invalid: Some index key attributes are not defined "
            "in AttributeDefinitions. Keys: [nope], AttributeDefinitions: [pk, sk, x]",
        ),
        (
            {"GlobalSecondaryIndexes": [
                {"IndexName": "gsi1", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                 "Projection": {"ProjectionType": "ALL"}},
                {"IndexName": "gsi1", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                 "Projection": {"ProjectionType": "ALL"}}]},
            "One or more parameter values were invalid: Duplicate index name: gsi1",
        ),
    ],
)
def test_create_table_index_validation(dynamodb, change, message):
    args = dict(
        TableName=unique_name("bad"),
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "x", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    args.update(change)
    with pytest.raises(ClientError) as e:
        dynamodb.create_table(**args)
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert e.value.response["Error"]["Message"] == message


def test_unused_attribute_definition_is_refused(dynamodb):
    with pytest.raises(ClientError) as e:
        dynamodb.create_table(
            TableName=unique_name("bad"),
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "x", "AttributeType": "S"},
                {"AttributeName": "y", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[{
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }],
        )
    assert "Some AttributeDefinitions are not used" in e.value.response["Error"]["Message"]


def test_update_table_adds_gsi_with_backfill_and_deletes_it(dynamodb):
    name = hash_key_table(dynamodb)
    for i in range(250):
        item = {"pk": s(f"k{i}"), "color": s("red" if i % 2 else "blue")}
        if i == 7:
            item["color"] = n(3)  # another type: left out of the index
        dynamodb.put_item(TableName=name, Item=item)
    out = add_color_index(dynamodb, name)
    (created,) = out["TableDescription"]["GlobalSecondaryIndexes"]
    assert created["IndexStatus"] == "CREATING"
    described = dynamodb.describe_table(TableName=name)["Table"]
    assert described["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    assert {"AttributeName": "color", "AttributeType": "S"} in described["AttributeDefinitions"]

    def count(color):
        pages = dynamodb.get_paginator("query").paginate(
            TableName=name, IndexName="by_color", KeyConditionExpression="color = :c",
            ExpressionAttributeValues={":c": s(color)}, Select="COUNT")
        return sum(p["Count"] for p in pages)

    assert count("red") == 124  # k7 holds a number
    assert count("blue") == 125
    # Items of another type can no longer be written.
    with pytest.raises(ClientError):
        dynamodb.put_item(TableName=name, Item={"pk": s("new"), "color": n(1)})

    with pytest.raises(ClientError) as e:
        add_color_index(dynamodb, name)
    assert "already exists" in e.value.response["Error"]["Message"]

    dynamodb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_color"}}])
    described = dynamodb.describe_table(TableName=name)["Table"]
    assert "GlobalSecondaryIndexes" not in described
    with pytest.raises(ClientError) as e:
        count("red")
    assert "does not have the specified index" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        dynamodb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_color"}}])
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    dynamodb.put_item(TableName=name, Item={"pk": s("new"), "color": n(1)})


def test_gsi_added_under_concurrent_writes_holds_every_item(dynamodb):
    # Writers keep putting items while UpdateTable adds an index: each item
    # must reach the index, whether it was written before the index (the
    # backfill), during the change (the write gate) or after it.
    name = hash_key_table(dynamodb)
    written = []
    errors = []
    started = threading.Event()

    def writer(worker):
        for i in range(150):
            try:
                dynamodb.put_item(TableName=name, Item={"pk": s(f"w{worker}-{i}"), "color": s(f"c{i % 3}")})
            except ClientError as e:  # pragma: no cover - reported below
                errors.append(e)
            written.append(1)
            if len(written) >= 60:
                started.set()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    assert started.wait(60)
    add_color_index(dynamodb, name, "KEYS_ONLY")
    for t in threads:
        t.join()
    assert not errors
    in_index = set()
    for color in ("c0", "c1", "c2"):
        for page in dynamodb.get_paginator("query").paginate(
                TableName=name, IndexName="by_color", KeyConditionExpression="color = :c",
                ExpressionAttributeValues={":c": s(color)}):
            in_index.update(item["pk"]["S"] for item in page["Items"])
    assert in_index == {f"w{w}-{i}" for w in range(4) for i in range(150)}


def test_gsi_never_shows_deleted_items_under_concurrent_writes(dynamodb):
    name = make_table(dynamodb)
    stop = threading.Event()
    errors = []

    def writer(worker):
        i = 0
        while not stop.is_set() and i < 150:
            key = {"pk": s(f"w{worker}"), "sk": s(str(i % 5))}
            try:
                dynamodb.put_item(TableName=name, Item={**key, "email": s(f"w{worker}-{i % 5}")})
                dynamodb.delete_item(TableName=name, Key=key)
            except ClientError as e:  # pragma: no cover - reported below
                errors.append(e)
            i += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    assert not errors
    # Every item was deleted last: no entry may remain in the index.
    assert dynamodb.scan(TableName=name, IndexName="by_email")["Items"] == []
    assert dynamodb.scan(TableName=name)["Items"] == []


def test_ttl_deletion_removes_index_entries(server, dynamodb):
    import time
    from conftest import wait_for

    name = make_table(dynamodb)
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )
    dynamodb.put_item(
        TableName=name,
        Item={"pk": s("t"), "sk": s("1"), "email": s("gone@example.com"), "expires": n(int(time.time()) - 10)},
    )
    assert wait_for(lambda: dynamodb.scan(TableName=name)["Count"] == 0, timeout=30)
    assert dynamodb.scan(TableName=name, IndexName="by_email")["Items"] == []


def composite_table(dynamodb):
    name = unique_name("cx")
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "tenant", "AttributeType": "S"},
            {"AttributeName": "area", "AttributeType": "S"},
            {"AttributeName": "yr", "AttributeType": "N"},
            {"AttributeName": "dy", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{
            "IndexName": "by_place_and_date",
            "KeySchema": [
                {"AttributeName": "tenant", "KeyType": "HASH"},
                {"AttributeName": "area", "KeyType": "HASH"},
                {"AttributeName": "yr", "KeyType": "RANGE"},
                {"AttributeName": "dy", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }],
    )
    return name


def test_composite_gsi_keys(dynamodb):
    name = composite_table(dynamodb)
    schema = dynamodb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]["KeySchema"]
    assert [k["KeyType"] for k in schema] == ["HASH", "HASH", "RANGE", "RANGE"]
    rows = [("acme", "eu", 2024, 5), ("acme", "eu", 2024, 9), ("acme", "eu", 2025, 1),
            ("acme", "us", 2024, 5), ("other", "eu", 2024, 5)]
    for i, (tenant, region, year, day) in enumerate(rows):
        dynamodb.put_item(TableName=name, Item={
            "pk": s(str(i)), "tenant": s(tenant), "area": s(region), "yr": n(year), "dy": n(day)})
    dynamodb.put_item(TableName=name, Item={"pk": s("sparse"), "tenant": s("acme"), "area": s("eu")})

    def q(condition, **values):
        got = dynamodb.query(TableName=name, IndexName="by_place_and_date", KeyConditionExpression=condition,
                             ExpressionAttributeValues={f":{k}": v for k, v in values.items()})
        return [item["pk"]["S"] for item in got["Items"]]

    assert q("tenant = :t AND area = :r", t=s("acme"), r=s("eu")) == ["0", "1", "2"]
    assert q("tenant = :t AND area = :r AND yr = :y", t=s("acme"), r=s("eu"), y=n(2024)) == ["0", "1"]
    assert q("tenant = :t AND area = :r AND yr = :y AND dy > :d",
             t=s("acme"), r=s("eu"), y=n(2024), d=n(5)) == ["1"]
    assert q("tenant = :t AND area = :r AND yr >= :y", t=s("acme"), r=s("eu"), y=n(2025)) == ["2"]

    def error(condition, **values):
        with pytest.raises(ClientError) as e:
            q(condition, **values)
        return e.value.response["Error"]["Message"]

    assert "HASH" in error("tenant = :t", t=s("acme"))
    assert "RANGE" in error("tenant = :t AND area = :r AND dy = :d", t=s("acme"), r=s("eu"), d=n(5))
    assert "RANGE" in error("tenant = :t AND area = :r AND yr > :y AND dy = :d",
                            t=s("acme"), r=s("eu"), y=n(2020), d=n(5))
    with pytest.raises(ClientError) as e:
        dynamodb.query(TableName=name, IndexName="by_place_and_date",
                       KeyConditionExpression="tenant = :t AND area = :r",
                       FilterExpression="yr = :y",
                       ExpressionAttributeValues={":t": s("acme"), ":r": s("eu"), ":y": n(2024)})
    assert "Filter Expression can only contain non-primary key attributes" in e.value.response["Error"]["Message"]

    # Changing one key attribute moves the entry; a wrong type is refused.
    dynamodb.update_item(TableName=name, Key={"pk": s("0")}, UpdateExpression="SET area = :r",
                         ExpressionAttributeValues={":r": s("us")})
    assert q("tenant = :t AND area = :r", t=s("acme"), r=s("us")) == ["0", "3"]
    with pytest.raises(ClientError) as e:
        dynamodb.put_item(TableName=name, Item={"pk": s("bad"), "tenant": s("acme"), "area": s("eu"), "dy": s("x")})
    assert "Type mismatch for Index Key dy" in e.value.response["Error"]["Message"]


def test_table_key_schema_keeps_two_elements(dynamodb):
    with pytest.raises(ClientError) as e:
        dynamodb.create_table(
            TableName=unique_name("bad"), BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"},
                       {"AttributeName": "c", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": x, "AttributeType": "S"} for x in "abc"])
    assert "Member must have length less than or equal to 2" in e.value.response["Error"]["Message"]
