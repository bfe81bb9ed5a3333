"""`stratus template render` through the real binary, with the mapping
templates of seed tutorial 004 (the Lambda calculator behind API Gateway)."""
import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("STRATUS_BIN", REPO / "build" / "stratus"))

QUERY_TEMPLATE = (
    '{ "a": "$input.params(\'operand1\')", "b": "$input.params(\'operand2\')", '
    '"op": "$input.params(\'operator\')" }'
)
PATH_TEMPLATE = (
    '{ "a": "$input.params(\'operand1\')", "b": "$input.params(\'operand2\')", '
    '"op": #if($input.params(\'operator\')==\'%2F\')"/"#{else}"$input.params(\'operator\')"#end }'
)
RESULT_TEMPLATE = (
    "#set($inputRoot = $input.path('$')) { \"input\" : { \"a\" : $inputRoot.a, "
    '"b" : $inputRoot.b, "op" : "$inputRoot.op" }, "output" : { "c" : $inputRoot.c } }'
)


def render(tmp_path, template, body=None, params=None, context=None, stage_variables=None):
    tpl = tmp_path / "template.vm"
    tpl.write_text(template)
    args = [str(BINARY), "template", "render", "--template", str(tpl)]
    if body is not None:
        body_file = tmp_path / "body.json"
        body_file.write_text(body)
        args += ["--body", str(body_file)]
    if params is not None:
        args += ["--params", json.dumps(params)]
    if context is not None:
        args += ["--context", json.dumps(context)]
    if stage_variables is not None:
        args += ["--stage-variables", json.dumps(stage_variables)]
    return subprocess.run(args, capture_output=True, text=True, timeout=30)


@pytest.fixture(autouse=True)
def _binary():
    if not BINARY.exists():
        pytest.skip(f"{BINARY} is not built")


def test_query_string_template(tmp_path):
    r = render(tmp_path, QUERY_TEMPLATE,
               params={"querystring": {"operand1": "1", "operand2": "2", "operator": "+"}})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"a": "1", "b": "2", "op": "+"}


@pytest.mark.parametrize("operator,expected", [("%2F", "/"), ("*", "*")])
def test_path_parameter_template(tmp_path, operator, expected):
    r = render(tmp_path, PATH_TEMPLATE,
               params={"path": {"operand1": "6", "operand2": "3", "operator": operator}})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"a": "6", "b": "3", "op": expected}


def test_result_response_template(tmp_path):
    r = render(tmp_path, RESULT_TEMPLATE, body='{"a": 1, "b": 2, "op": "+", "c": 3}')
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"input": {"a": 1, "b": 2, "op": "+"}, "output": {"c": 3}}


def test_context_stage_variables_and_overrides(tmp_path):
    r = render(
        tmp_path,
        "#set($context.responseOverride.status = 202)$context.stage/$stageVariables.table",
        context={"stage": "dev"},
        stage_variables={"table": "calc"},
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == "dev/calc"
    assert "responseOverride.status = 202" in r.stderr


def test_template_error_exits_1_with_position(tmp_path):
    r = render(tmp_path, "ok\n#foreach($i in [1..3])$i")
    assert r.returncode == 1
    assert r.stdout == ""
    assert "line 2, column 1" in r.stderr


def test_bad_options_exit_2(tmp_path):
    r = render(tmp_path, "x", params=["not", "an", "object"])
    assert r.returncode == 2
    assert "--params" in r.stderr
