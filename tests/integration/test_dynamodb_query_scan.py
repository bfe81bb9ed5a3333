"""Query (with KeyConditions) and Scan: ordering, paging, Select, segments."""
import pytest
from botocore.exceptions import ClientError

from conftest import unique_name


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


@pytest.fixture
def filled(dynamodb, table):
    """Partition 'p' with sort keys -5..24 (N), plus 10 other partitions."""
    requests = [{"PutRequest": {"Item": {"pk": {"S": "p"}, "sk": {"N": str(i)},
                                         "v": {"S": f"value-{i}"}}}} for i in range(-5, 25)]
    requests += [{"PutRequest": {"Item": {"pk": {"S": f"other-{i}"}, "sk": {"N": "1"}}}}
                 for i in range(10)]
    for start in range(0, len(requests), 25):
        dynamodb.batch_write_item(RequestItems={table: requests[start:start + 25]})
    return table


def eq(value, type_="S"):
    return {"ComparisonOperator": "EQ", "AttributeValueList": [{type_: value}]}


def sort_keys(items):
    return [int(i["sk"]["N"]) for i in items]


def full(call, **kwargs):
    items, start = [], None
    while True:
        page = call(**kwargs, **({"ExclusiveStartKey": start} if start else {}))
        items += page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def test_query_partition_in_order(dynamodb, filled):
    got = dynamodb.query(TableName=filled, KeyConditions={"pk": eq("p")})
    assert sort_keys(got["Items"]) == list(range(-5, 25))
    assert got["Count"] == got["ScannedCount"] == 30
    back = dynamodb.query(TableName=filled, KeyConditions={"pk": eq("p")}, ScanIndexForward=False)
    assert sort_keys(back["Items"]) == list(range(24, -6, -1))


@pytest.mark.parametrize("op,values,expected", [
    ("EQ", ["3"], [3]),
    ("LT", ["-3"], [-5, -4]),
    ("LE", ["-3"], [-5, -4, -3]),
    ("GT", ["22"], [23, 24]),
    ("GE", ["22"], [22, 23, 24]),
    ("BETWEEN", ["-1", "2"], [-1, 0, 1, 2]),
])
def test_query_sort_key_conditions(dynamodb, filled, op, values, expected):
    got = dynamodb.query(TableName=filled, KeyConditions={
        "pk": eq("p"),
        "sk": {"ComparisonOperator": op, "AttributeValueList": [{"N": v} for v in values]}})
    assert sort_keys(got["Items"]) == expected


def test_query_begins_with_on_strings(dynamodb):
    name = unique_name()
    dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"},
                              {"AttributeName": "c", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"},
                   {"AttributeName": "c", "KeyType": "RANGE"}])
    for c in ("a", "ab", "abc", "abd", "b", "a\u00ff", "ab\u0000x"):
        dynamodb.put_item(TableName=name, Item={"p": {"S": "x"}, "c": {"S": c}})
    got = dynamodb.query(TableName=name, KeyConditions={
        "p": eq("x"), "c": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "ab"}]}})
    assert [i["c"]["S"] for i in got["Items"]] == ["ab", "ab\u0000x", "abc", "abd"]
    dynamodb.delete_table(TableName=name)


def test_query_paging_with_limit(dynamodb, filled):
    page = dynamodb.query(TableName=filled, KeyConditions={"pk": eq("p")}, Limit=7)
    assert sort_keys(page["Items"]) == list(range(-5, 2))
    assert page["LastEvaluatedKey"] == {"pk": {"S": "p"}, "sk": {"N": "1"}}
    items = full(dynamodb.query, TableName=filled, KeyConditions={"pk": eq("p")}, Limit=7)
    assert sort_keys(items) == list(range(-5, 25))
    items = full(dynamodb.query, TableName=filled, KeyConditions={"pk": eq("p")}, Limit=4,
                 ScanIndexForward=False)
    assert sort_keys(items) == list(range(24, -6, -1))


def test_select_count_and_attributes(dynamodb, filled):
    got = dynamodb.query(TableName=filled, KeyConditions={"pk": eq("p")}, Select="COUNT")
    assert got["Count"] == 30 and "Items" not in got
    got = dynamodb.query(TableName=filled, KeyConditions={"pk": eq("p")},
                         AttributesToGet=["v"], Limit=1)
    assert got["Items"] == [{"v": {"S": "value--5"}}]
    for select in ("ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES"):
        code, _ = error_of(lambda: dynamodb.query(TableName=filled, Select=select,
                                                  KeyConditions={"pk": eq("p")}))
        assert code == "ValidationException"
    code, message = error_of(lambda: dynamodb.query(TableName=filled, Select="COUNT",
                                                    AttributesToGet=["v"],
                                                    KeyConditions={"pk": eq("p")}))
    assert "AttributesToGet" in message


@pytest.mark.parametrize("conditions,fragment", [
    ({"sk": eq("1", "N")}, "Query condition missed key schema element: pk"),
    ({"pk": {"ComparisonOperator": "GT", "AttributeValueList": [{"S": "p"}]}},
     "Query key condition not supported"),
    ({"pk": {"ComparisonOperator": "EQ", "AttributeValueList": []}},
     "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"pk": eq("1", "N")}, "Condition parameter type does not match schema type"),
    ({"pk": eq("p"), "sk": {"ComparisonOperator": "BEGINS_WITH",
                            "AttributeValueList": [{"N": "1"}]}},
     "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
    ({"pk": eq("p"), "sk": {"ComparisonOperator": "NE", "AttributeValueList": [{"N": "1"}]}},
     "Attempted conditional constraint is not an indexable operation"),
])
def test_key_condition_errors(dynamodb, filled, conditions, fragment):
    code, message = error_of(lambda: dynamodb.query(TableName=filled, KeyConditions=conditions))
    assert code == "ValidationException"
    assert fragment in message


def test_exclusive_start_key_must_be_a_key(dynamodb, filled):
    code, message = error_of(lambda: dynamodb.query(
        TableName=filled, KeyConditions={"pk": eq("p")}, ExclusiveStartKey={"pk": {"S": "p"}}))
    assert code == "ValidationException" and "starting key" in message


def test_scan_everything_and_pages(dynamodb, filled):
    everything = full(dynamodb.scan, TableName=filled)
    assert len(everything) == 40
    paged = full(dynamodb.scan, TableName=filled, Limit=3)
    assert sorted(map(str, paged)) == sorted(map(str, everything))


def test_parallel_scan_segments_partition_the_table(dynamodb, filled):
    everything = sorted(map(str, full(dynamodb.scan, TableName=filled)))
    for total in (1, 2, 7):
        parts = []
        for segment in range(total):
            parts += full(dynamodb.scan, TableName=filled, Segment=segment, TotalSegments=total,
                          Limit=5)
        assert sorted(map(str, parts)) == everything
    code, message = error_of(lambda: dynamodb.scan(TableName=filled, Segment=5, TotalSegments=5))
    assert code == "ValidationException" and "Segment" in message
    code, message = error_of(lambda: dynamodb.scan(TableName=filled, Segment=1))
    assert "TotalSegments" in message


def test_one_megabyte_pages(dynamodb, table):
    blob = b"x" * 200_000
    for i in range(8):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "big"}, "sk": {"N": str(i)},
                                                 "b": {"B": blob}})
    first = dynamodb.query(TableName=table, KeyConditions={"pk": eq("big")})
    assert 5 <= len(first["Items"]) < 8 and "LastEvaluatedKey" in first
    rest = full(dynamodb.query, TableName=table, KeyConditions={"pk": eq("big")},
                )
    assert len(rest) == 8


def test_missing_index_and_table(dynamodb, filled):
    code, message = error_of(lambda: dynamodb.scan(TableName=filled, IndexName="nope"))
    assert (code, message) == ("ValidationException",
                               "The table does not have the specified index: nope")
    code, _ = error_of(lambda: dynamodb.scan(TableName="missing-table"))
    assert code == "ResourceNotFoundException"


def test_items_come_back_exactly_as_written_by_every_read_path(server, dynamodb, table):
    """Whole items go out as stored; projected or capacity-counted ones are
    rebuilt. Both must give the same documents, escapes and all."""
    from conftest import raw_dynamodb
    awkward = {
        "pk": {"S": "p"}, "sk": {"N": "1"},
        "quote": {"S": 'say "hi" \\ back\\slash'}, "ctl": {"S": "tab\tnew\nline\u0001"},
        "uni": {"S": "h\u00e9llo \u2603 \U0001F600"}, "empty": {"S": ""},
        "num": {"N": "-12.5e3"}, "bin": {"B": b"\x00\xffbytes"},
        "set": {"SS": ["a", "b"]}, "nums": {"NS": ["1", "2"]},
        "nested": {"M": {"l": {"L": [{"NULL": True}, {"BOOL": False}, {"M": {}}]}}},
    }
    expected = dict(awkward, num={"N": "-12500"})
    dynamodb.put_item(TableName=table, Item=awkward)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "p"}, "sk": {"N": "2"}})
    key = {"pk": {"S": "p"}, "sk": {"N": "1"}}

    def normal(item):
        return {k: ({"SS": sorted(v["SS"])} if "SS" in v else
                    {"NS": sorted(v["NS"])} if "NS" in v else v) for k, v in item.items()}

    for extra in ({}, {"ReturnConsumedCapacity": "TOTAL"}):
        got = dynamodb.get_item(TableName=table, Key=key, **extra)
        assert normal(got["Item"]) == normal(expected)
        assert ("ConsumedCapacity" in got) == bool(extra)
        page = dynamodb.query(TableName=table, KeyConditionExpression="pk = :p",
                              ExpressionAttributeValues={":p": {"S": "p"}}, **extra)
        assert page["Count"] == 2 and page["ScannedCount"] == 2
        assert normal(page["Items"][0]) == normal(expected)
        assert page["Items"][1] == {"pk": {"S": "p"}, "sk": {"N": "2"}}
        scanned = dynamodb.scan(TableName=table, Limit=1, **extra)
        assert normal(scanned["Items"][0]) == normal(expected)
        assert scanned["LastEvaluatedKey"] == key

    projected = dynamodb.get_item(TableName=table, Key=key, ProjectionExpression="quote, uni")
    assert projected["Item"] == {"quote": awkward["quote"], "uni": awkward["uni"]}
    # A filter that drops everything: an empty Items array, not a missing one.
    status, body = raw_dynamodb(server, "Query", {
        "TableName": table, "KeyConditionExpression": "pk = :p",
        "FilterExpression": "attribute_exists(nothing)",
        "ExpressionAttributeValues": {":p": {"S": "p"}}})
    assert status == 200
    assert body["Items"] == [] and body["Count"] == 0 and body["ScannedCount"] == 2
    status, body = raw_dynamodb(server, "GetItem", {"TableName": table, "Key": key})
    assert status == 200 and set(body) == {"Item"}
    status, body = raw_dynamodb(server, "GetItem",
                                {"TableName": table, "Key": {"pk": {"S": "none"}, "sk": {"N": "1"}}})
    assert status == 200 and body == {}
