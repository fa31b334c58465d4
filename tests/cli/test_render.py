"""One test per output format, with the expected text written out."""

import csv
import io
import json
from decimal import Decimal

from officecli import render

ROWS = [
    {"id": "ORD-A-0001", "state": "open", "customer": "Μαρία", "gross": Decimal("1224.80"), "lines": [1, 2]},
    {
        "id": "ORD-A-0002",
        "state": "inbox",
        "customer": "Νίκος, Α.Ε.",
        "gross": Decimal("5.00"),
        "lines": [],
        "note": "x",
    },
]
COLS = [("id", "ID"), ("state", "State"), ("customer", "Customer"), ("gross", "Gross")]


def test_table_headers_in_capitals_money_right_aligned_with_a_thousands_comma():
    assert render.rows(ROWS, "table", COLS) == (
        "ID          STATE    CUSTOMER        GROSS\n"
        "----------  -------  -----------  --------\n"
        "ORD-A-0001  open     Μαρία        1,224.80\n"
        "ORD-A-0002  inbox    Νίκος, Α.Ε.      5.00"
    )


def test_json_is_a_list_of_whole_objects_every_key_in_every_object():
    data = json.loads(render.rows(ROWS, "json", COLS))
    assert data[0] == {
        "id": "ORD-A-0001",
        "state": "open",
        "customer": "Μαρία",
        "gross": "1224.80",
        "lines": [1, 2],
        "note": None,
    }
    assert list(data[1]) == list(data[0])


def test_schema_orders_the_keys_and_fields_pick_them():
    out = json.loads(render.rows(ROWS[:1], "json", schema=["id", "state", "note", "gross"]))
    assert list(out[0]) == ["id", "state", "note", "gross", "customer", "lines"]
    assert out[0]["note"] is None
    assert render.rows(ROWS, "csv", fields=["id", "gross"]) == "id,gross\nORD-A-0001,1224.80\nORD-A-0002,5.00"


def test_jsonl_is_one_object_a_line():
    lines = render.rows(ROWS, "jsonl").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["ORD-A-0001", "ORD-A-0002"]


def test_yaml():
    assert render.rows(ROWS[1:], "yaml", COLS) == (
        "- id: ORD-A-0002\n  state: inbox\n  customer: Νίκος, Α.Ε.\n  gross: '5.00'\n  lines: []\n  note: x"
    )


def test_csv_round_trips_nested_values_as_json_cells():
    text = render.rows(ROWS, "csv", COLS)
    assert text.splitlines()[0] == "id,state,customer,gross,lines,note"
    back = list(csv.DictReader(io.StringIO(text)))
    assert back[1]["customer"] == "Νίκος, Α.Ε." and json.loads(back[0]["lines"]) == [1, 2]
    assert back[0]["note"] == "" and back[1]["note"] == "x"


def test_ids():
    assert render.rows(ROWS, "ids", COLS) == "ORD-A-0001\nORD-A-0002"


def test_empty_listings():
    assert render.rows([], "table", COLS) == "(none)"
    assert render.rows([], "json", COLS) == "[]"
    assert render.rows([], "yaml", COLS) == "[]"
    assert render.rows([], "ids", COLS) == ""
    assert render.rows([], "jsonl", COLS) == ""
    assert render.rows([], "csv", COLS) == "id,state"
    assert render.rows([], "csv", schema=["id", "state", "gross"]) == "id,state,gross"


def test_one_record_as_a_block_or_a_list_of_one():
    item = {
        "id": "CUS-A-0001",
        "state": "active",
        "name": "Μαρία",
        "email": None,
        "vat_number": "1",
        "owed": "1234.50",
    }
    assert render.one(item, "table") == (
        "ID:         CUS-A-0001\nState:      active\nName:       Μαρία\nVAT number: 1\nOwed:       1,234.50"
    )
    assert render.one(item, "json").startswith('[\n  {\n    "id": "CUS-A-0001"')
