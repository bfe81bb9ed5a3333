"""PartiQL: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction."""
import pytest
from botocore.exceptions import ClientError

from conftest import raw_dynamodb


def key(pk, sk=1):
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}}


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response


def run(dynamodb, statement, parameters=None, **kwargs):
    args = {"Statement": statement, **kwargs}
    if parameters:
        args["Parameters"] = parameters
    return dynamodb.execute_statement(**args)


def test_insert_then_select(dynamodb, table):
    run(dynamodb, f"""INSERT INTO "{table}" VALUE {{'pk': 'a', 'sk': 1, 'n': 1.50,
        'l': [1, 'x'], 'm': {{'k': TRUE}}, 's': <<'b', 'a'>>, 'z': NULL, 'q': 'it''s'}}""")
    item = dynamodb.get_item(TableName=table, Key=key("a"))["Item"]
    assert item["n"] == {"N": "1.5"}
    assert item["l"] == {"L": [{"N": "1"}, {"S": "x"}]}
    assert item["m"] == {"M": {"k": {"BOOL": True}}}
    assert sorted(item["s"]["SS"]) == ["a", "b"]
    assert item["z"] == {"NULL": True}
    assert item["q"] == {"S": "it's"}
    got = run(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = 'a' AND sk = 1")
    assert got["Items"] == [item]


def test_insert_duplicate_key(dynamodb, table):
    statement = f"INSERT INTO \"{table}\" VALUE {{'pk': 'dup', 'sk': 1, 'v': 'first'}}"
    run(dynamodb, statement)
    response = error_of(lambda: run(dynamodb, statement))
    assert response["Error"]["Code"] == "DuplicateItemException"
    assert response["Error"]["Message"] == "Duplicate primary key exists in table"
    assert dynamodb.get_item(TableName=table, Key=key("dup"))["Item"]["v"] == {"S": "first"}


def test_parameters(dynamodb, table):
    run(dynamodb, f"INSERT INTO \"{table}\" VALUE {{'pk': ?, 'sk': ?, 'v': ?}}",
        [{"S": "p"}, {"N": "2"}, {"SS": ["x"]}])
    got = run(dynamodb, f"SELECT v FROM \"{table}\" WHERE pk = ?", [{"S": "p"}])
    assert got["Items"] == [{"v": {"SS": ["x"]}}]
    response = error_of(lambda: run(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = ?"))
    assert response["Error"]["Code"] == "ValidationException"
    assert response["Error"]["Message"] == ("Number of parameters in request and statement "
                                            "don't match.")


def test_select_query_filter_and_projection(dynamodb, table):
    for sk in range(1, 6):
        dynamodb.put_item(TableName=table, Item=key("q", sk) | {
            "v": {"N": str(sk * 10)}, "tag": {"S": f"t{sk % 2}"},
            "m": {"M": {"inner": {"S": f"deep{sk}"}}}})
    dynamodb.put_item(TableName=table, Item=key("other") | {"v": {"N": "30"}})

    def sks(statement):
        return sorted(int(i["sk"]["N"]) for i in run(dynamodb, statement)["Items"])

    assert sks(f"SELECT * FROM \"{table}\" WHERE pk = 'q' AND v > 20") == [3, 4, 5]
    assert sks(f"SELECT * FROM \"{table}\" WHERE pk = 'q' AND sk BETWEEN 2 AND 3") == [2, 3]
    assert sks(f"SELECT * FROM \"{table}\" WHERE pk = 'q' AND sk IN [1, 5]") == [1, 5]
    assert sks(f"SELECT * FROM \"{table}\" WHERE pk = 'q' AND tag = 't1' OR v = 30") == [1, 1, 3, 5]
    assert sks(f"SELECT * FROM \"{table}\" WHERE pk = 'q' AND NOT (tag = 't1')") == [2, 4]
    assert sks(f"SELECT * FROM \"{table}\" WHERE pk = 'q' AND begins_with(tag, 't0')") == [2, 4]
    assert sks(f"SELECT * FROM \"{table}\" WHERE pk = 'q' AND missing IS MISSING") == [1, 2, 3, 4, 5]
    assert sks(f"SELECT * FROM \"{table}\" WHERE pk = 'q' AND tag IS NOT MISSING "
               "AND attribute_type(v, 'N') AND size(tag) = 2 AND sk <> 1") == [2, 3, 4, 5]
    assert sks(f"select * from \"{table}\" where v >= 40") == [4, 5]

    got = run(dynamodb, f"SELECT pk, m.inner, \"v\" FROM \"{table}\" WHERE pk = 'q' AND sk = 2")
    assert got["Items"] == [{"pk": {"S": "q"}, "inner": {"S": "deep2"}, "v": {"N": "20"}}]
    assert run(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = 'none'")["Items"] == []


def test_select_paging(dynamodb, table):
    for sk in range(1, 8):
        dynamodb.put_item(TableName=table, Item=key("page", sk))
    seen, token, pages = [], None, 0
    while True:
        args = {"Limit": 3} | ({"NextToken": token} if token else {})
        got = run(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = 'page'", **args)
        seen += [int(i["sk"]["N"]) for i in got["Items"]]
        pages += 1
        token = got.get("NextToken")
        if not token:
            break
    assert seen == [1, 2, 3, 4, 5, 6, 7]
    assert pages == 3
    response = error_of(lambda: run(dynamodb, f"SELECT * FROM \"{table}\"", NextToken="bogus"))
    assert response["Error"]["Code"] == "ValidationException"


def test_select_consumed_capacity(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("cap"))
    got = run(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = 'cap'",
              ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    assert got["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}


def test_update(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("u") | {"n": {"N": "1"}, "gone": {"S": "x"},
                                                        "l": {"L": [{"N": "1"}]}})
    run(dynamodb, f"""UPDATE "{table}" SET n = n + 2, s = 'new' SET l = list_append(l, [2])
        SET tags = set_add(tags, <<'a'>>) REMOVE gone WHERE pk = 'u' AND sk = 1""")
    item = dynamodb.get_item(TableName=table, Key=key("u"))["Item"]
    assert item["n"] == {"N": "3"}
    assert item["s"] == {"S": "new"}
    assert item["l"] == {"L": [{"N": "1"}, {"N": "2"}]}
    assert item["tags"] == {"SS": ["a"]}
    assert "gone" not in item

    # A condition beyond the key makes the update conditional.
    response = error_of(lambda: run(
        dynamodb, f"UPDATE \"{table}\" SET n = 0 WHERE pk = 'u' AND sk = 1 AND n = 99"))
    assert response["Error"]["Code"] == "ConditionalCheckFailedException"
    run(dynamodb, f"UPDATE \"{table}\" SET n = 0 WHERE pk = 'u' AND sk = 1 AND n = 3")
    assert dynamodb.get_item(TableName=table, Key=key("u"))["Item"]["n"] == {"N": "0"}

    # UPDATE never creates an item.
    response = error_of(lambda: run(dynamodb,
                                    f"UPDATE \"{table}\" SET n = 1 WHERE pk = 'nope' AND sk = 1"))
    assert response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key("nope"))


def test_update_and_delete_need_the_full_key(dynamodb, table):
    for statement in (f"UPDATE \"{table}\" SET n = 1 WHERE pk = 'u'",
                      f"DELETE FROM \"{table}\" WHERE pk = 'u'",
                      f"DELETE FROM \"{table}\" WHERE pk = 'u' OR sk = 1",
                      f"DELETE FROM \"{table}\" WHERE sk = 1"):
        response = error_of(lambda: run(dynamodb, statement))
        assert response["Error"]["Code"] == "ValidationException"
        assert response["Error"]["Message"] == ("Where clause does not contain a mandatory "
                                                "equality on all key attributes")


def test_update_key_attribute_is_rejected(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("k"))
    response = error_of(lambda: run(
        dynamodb, f"UPDATE \"{table}\" SET pk = 'x' WHERE pk = 'k' AND sk = 1"))
    assert response["Error"]["Code"] == "ValidationException"
    assert "part of the key" in response["Error"]["Message"]


def test_delete(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("d") | {"v": {"N": "1"}})
    response = error_of(lambda: run(dynamodb,
                                    f"DELETE FROM \"{table}\" WHERE pk = 'd' AND sk = 1 AND v = 2"))
    assert response["Error"]["Code"] == "ConditionalCheckFailedException"
    run(dynamodb, f"DELETE FROM \"{table}\" WHERE pk = 'd' AND sk = 1 AND v = 1")
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key("d"))
    # Deleting an absent item is not an error; inserting again works.
    run(dynamodb, f"DELETE FROM \"{table}\" WHERE pk = 'd' AND sk = 1")
    run(dynamodb, f"INSERT INTO \"{table}\" VALUE {{'pk': 'd', 'sk': 1}}")


def test_errors(dynamodb, table):
    response = error_of(lambda: run(dynamodb, f"SELECTT * FROMM \"{table}\""))
    assert response["Error"]["Code"] == "ValidationException"
    assert response["Error"]["Message"].startswith(
        "Statement wasn't well formed, can't be processed:")
    response = error_of(lambda: run(dynamodb, "SELECT * FROM \"no-such-table\" WHERE pk = 'x'"))
    assert response["Error"]["Code"] == "ResourceNotFoundException"
    response = error_of(lambda: run(dynamodb, f"SELECT * FROM \"{table}\".\"idx\""))
    assert response["Error"]["Code"] == "ValidationException"
    response = error_of(lambda: run(dynamodb, f"INSERT INTO \"{table}\" VALUE {{'pk': 'x'}}"))
    assert response["Error"]["Code"] == "ValidationException"


def test_batch(dynamodb, table, server):
    dynamodb.put_item(TableName=table, Item=key("b1") | {"v": {"S": "one"}})
    got = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'b1' AND sk = 1"},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'b2' AND sk = 1"},
        {"Statement": "SELECT * FROM \"no-such-table\" WHERE pk = 'x'"},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'b1'"}])["Responses"]
    assert got[0]["Item"]["v"] == {"S": "one"}
    assert got[0]["TableName"] == table
    assert "Item" not in got[1] and "Error" not in got[1]
    assert got[2]["Error"]["Code"] == "ResourceNotFound"
    assert got[3]["Error"]["Code"] == "ValidationError"

    got = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'b3', 'sk': 1}}"},
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'b1', 'sk': 1}}"},
        {"Statement": f"UPDATE \"{table}\" SET v = 'two' WHERE pk = 'b1' AND sk = 1"}])["Responses"]
    assert "Error" not in got[0]
    assert got[1]["Error"]["Code"] == "DuplicateItem"
    assert "Error" not in got[2]
    assert dynamodb.get_item(TableName=table, Key=key("b1"))["Item"]["v"] == {"S": "two"}
    assert "Item" in dynamodb.get_item(TableName=table, Key=key("b3"))

    response = error_of(lambda: dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'b1' AND sk = 1"},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'b1' AND sk = 1"}]))
    assert response["Error"]["Code"] == "ValidationException"

    status, body = raw_dynamodb(server, "BatchExecuteStatement", {"Statements": []})
    assert status == 400 and body["__type"].endswith("ValidationException")
    status, body = raw_dynamodb(server, "BatchExecuteStatement", {"Statements": [
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'b1' AND sk = 1"}] * 26})
    assert status == 400 and body["__type"].endswith("ValidationException")


def test_transaction_writes_are_all_or_nothing(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("t1") | {"v": {"S": "before"}})
    dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 't2', 'sk': 1}}"},
        {"Statement": f"UPDATE \"{table}\" SET v = 'after' WHERE pk = 't1' AND sk = 1"}])
    assert dynamodb.get_item(TableName=table, Key=key("t1"))["Item"]["v"] == {"S": "after"}
    assert "Item" in dynamodb.get_item(TableName=table, Key=key("t2"))

    response = error_of(lambda: dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 't3', 'sk': 1}}"},
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 't1', 'sk': 1}}"},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 't2' AND sk = 1 AND v = 'x'"}]))
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert [r["Code"] for r in response["CancellationReasons"]] == [
        "None", "ValidationError", "ConditionalCheckFailed"]
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key("t3"))
    assert "Item" in dynamodb.get_item(TableName=table, Key=key("t2"))

    response = error_of(lambda: dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"UPDATE \"{table}\" SET v = 'a' WHERE pk = 't1' AND sk = 1"},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 't1' AND sk = 1"}]))
    assert response["Error"]["Code"] == "ValidationException"


def test_transaction_reads(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("r1") | {"v": {"N": "1"}})
    got = dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT v FROM \"{table}\" WHERE pk = 'r1' AND sk = 1"},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'r2' AND sk = 1"}])["Responses"]
    assert got[0] == {"Item": {"v": {"N": "1"}}}
    assert "Item" not in got[1]
    response = error_of(lambda: dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'r1' AND sk = 1"},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'r1' AND sk = 1"}]))
    assert response["Error"]["Code"] == "ValidationException"


def test_transaction_client_request_token(dynamodb, table):
    statements = [{"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'tok', 'sk': 1}}"}]
    dynamodb.execute_transaction(TransactStatements=statements, ClientRequestToken="tok-1")
    # The same token and statements answer again instead of failing as a duplicate.
    dynamodb.execute_transaction(TransactStatements=statements, ClientRequestToken="tok-1")
    response = error_of(lambda: dynamodb.execute_transaction(
        TransactStatements=[{"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'tok' AND sk = 1"}],
        ClientRequestToken="tok-1"))
    assert response["Error"]["Code"] == "IdempotentParameterMismatchException"


def test_empty_transaction(server):
    status, body = raw_dynamodb(server, "ExecuteTransaction", {"TransactStatements": []})
    assert status == 400 and body["__type"].endswith("ValidationException")


def test_return_values_on_condition_check_failure(dynamodb, table, server):
    # raw_dynamodb: the installed botocore model predates this member.
    dynamodb.put_item(TableName=table, Item=key("rv") | {"v": {"N": "1"}})
    statement = f"UPDATE \"{table}\" SET v = 2 WHERE pk = 'rv' AND sk = 1 AND v = 5"
    status, body = raw_dynamodb(server, "ExecuteStatement", {
        "Statement": statement, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    assert status == 400
    assert body["__type"].endswith("ConditionalCheckFailedException")
    assert body["Item"] == key("rv") | {"v": {"N": "1"}}
    status, body = raw_dynamodb(server, "BatchExecuteStatement", {"Statements": [
        {"Statement": statement, "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}]})
    assert status == 200
    assert body["Responses"][0]["Error"]["Code"] == "ConditionalCheckFailed"
    assert body["Responses"][0]["Error"]["Item"] == key("rv") | {"v": {"N": "1"}}


def test_update_paths_must_not_overlap(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("o"))
    response = error_of(lambda: run(
        dynamodb, f"UPDATE \"{table}\" SET a = 1, a = 2 WHERE pk = 'o' AND sk = 1"))
    assert response["Error"]["Code"] == "ValidationException"
    assert "Two document paths overlap" in response["Error"]["Message"]


def test_returning(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("ret") | {"a": {"N": "1"}, "b": {"S": "x"}})
    where = "WHERE pk = 'ret' AND sk = 1"
    got = run(dynamodb, f"UPDATE \"{table}\" SET a = a + 1 {where} RETURNING MODIFIED OLD *")
    assert got["Items"] == [{"a": {"N": "1"}}]
    got = run(dynamodb, f"UPDATE \"{table}\" SET a = a + 1 {where} RETURNING MODIFIED NEW *")
    assert got["Items"] == [{"a": {"N": "3"}}]
    got = run(dynamodb, f"UPDATE \"{table}\" SET c = 'new' {where} RETURNING ALL NEW *")
    assert got["Items"] == [key("ret") | {"a": {"N": "3"}, "b": {"S": "x"}, "c": {"S": "new"}}]
    got = run(dynamodb, f"UPDATE \"{table}\" REMOVE c {where} RETURNING ALL OLD *")
    assert got["Items"][0]["c"] == {"S": "new"}
    got = run(dynamodb, f"DELETE FROM \"{table}\" {where} RETURNING ALL OLD *")
    assert got["Items"] == [key("ret") | {"a": {"N": "3"}, "b": {"S": "x"}}]
    assert run(dynamodb, f"INSERT INTO \"{table}\" VALUE {{'pk': 'w', 'sk': 1}}")["Items"] == []


def test_select_sort_key_condition_narrows_the_query(dynamodb, table):
    # Limit counts items read: only a Query narrowed to sk > 3 can fill the
    # first page with matches.
    for sk in range(1, 7):
        dynamodb.put_item(TableName=table, Item=key("n", sk))
    for condition, expected in (("sk > 3", [4, 5]), ("sk BETWEEN 2 AND 5", [2, 3]),
                                ("sk <= 2", [1, 2]), ("sk = 6", [6])):
        got = run(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = 'n' AND {condition}", Limit=2)
        assert [int(i["sk"]["N"]) for i in got["Items"]] == expected, condition


def test_transaction_exists(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("e1") | {"v": {"N": "1"}})
    insert = {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'e2', 'sk': 1}}"}
    response = error_of(lambda: dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'e1' AND sk = 1 AND v = 2)"},
        insert]))
    assert [r["Code"] for r in response["CancellationReasons"]] == ["ConditionalCheckFailed",
                                                                   "None"]
    response = error_of(lambda: dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'absent' AND sk = 1)"},
        insert]))
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert "Item" not in dynamodb.get_item(TableName=table, Key=key("e2"))
    dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'e1' AND sk = 1 AND v = 1)"},
        insert])
    assert "Item" in dynamodb.get_item(TableName=table, Key=key("e2"))
    assert dynamodb.get_item(TableName=table, Key=key("e1"))["Item"]["v"] == {"N": "1"}
    response = error_of(lambda: run(
        dynamodb, f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'e1' AND sk = 1)"))
    assert response["Error"]["Code"] == "ValidationException"


def test_consumed_capacity_of_batch_and_transaction(dynamodb, table):
    dynamodb.put_item(TableName=table, Item=key("c1"))
    got = dynamodb.execute_transaction(ReturnConsumedCapacity="TOTAL", TransactStatements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c2', 'sk': 1}}"},
        {"Statement": f"UPDATE \"{table}\" SET v = 1 WHERE pk = 'c1' AND sk = 1"}])
    assert got["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 4.0}]
    got = dynamodb.execute_transaction(ReturnConsumedCapacity="TOTAL", TransactStatements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'c1' AND sk = 1"}])
    assert got["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 2.0}]
    got = dynamodb.batch_execute_statement(ReturnConsumedCapacity="TOTAL", Statements=[
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'c1' AND sk = 1"},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'c2' AND sk = 1"}])
    assert got["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 2.0}]


def test_select_order_by(dynamodb, table):
    for sk in range(1, 6):
        dynamodb.put_item(TableName=table, Item=key("ob", sk))
    base = f"SELECT * FROM \"{table}\" WHERE pk = 'ob'"

    def sks(got):
        return [int(i["sk"]["N"]) for i in got["Items"]]

    assert sks(run(dynamodb, base + " ORDER BY sk DESC")) == [5, 4, 3, 2, 1]
    assert sks(run(dynamodb, base + " AND sk < 4 ORDER BY sk ASC")) == [1, 2, 3]
    first = run(dynamodb, base + " ORDER BY sk DESC", Limit=2)
    assert sks(first) == [5, 4]
    second = run(dynamodb, base + " ORDER BY sk DESC", Limit=2, NextToken=first["NextToken"])
    assert sks(second) == [3, 2]
    for statement in (f"SELECT * FROM \"{table}\" ORDER BY sk",
                      f"SELECT * FROM \"{table}\" WHERE sk = 1 ORDER BY sk",
                      base + " ORDER BY other"):
        response = error_of(lambda: run(dynamodb, statement))
        assert response["Error"]["Code"] == "ValidationException", statement
