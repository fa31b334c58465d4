"""One test per output format, with the expected text written out."""
from decimal import Decimal

from officecli import render

ROWS = [
    {"id": "ORD-A-0001", "state": "open", "customer": "Μαρία", "gross": Decimal("24.80"), "lines": [1, 2]},
    {"id": "ORD-A-0002", "state": "inbox", "customer": "Νίκος, Α.Ε.", "gross": Decimal("5.00"), "lines": []},
]
COLS = [("id", "ID"), ("state", "State"), ("customer", "Customer"), ("gross", "Gross")]


def test_table():
    assert render.rows(ROWS, "table", COLS) == (
        "ID          State    Customer     Gross\n"
        "----------  -------  -----------  -------\n"
        "ORD-A-0001  open     Μαρία        24.80\n"
        "ORD-A-0002  inbox    Νίκος, Α.Ε.  5.00"
    )


def test_json_is_a_list_of_whole_objects_with_money_as_text():
    assert render.rows(ROWS[:1], "json", COLS) == (
        '[\n  {\n    "id": "ORD-A-0001",\n    "state": "open",\n    "customer": "Μαρία",\n'
        '    "gross": "24.80",\n    "lines": [\n      1,\n      2\n    ]\n  }\n]'
    )


def test_yaml():
    assert render.rows(ROWS[1:], "yaml", COLS) == (
        "- id: ORD-A-0002\n  state: inbox\n  customer: Νίκος, Α.Ε.\n  gross: '5.00'\n  lines: []"
    )


def test_csv_quotes_what_needs_it():
    assert render.rows(ROWS, "csv", COLS) == (
        "id,state,customer,gross\nORD-A-0001,open,Μαρία,24.80\nORD-A-0002,inbox,\"Νίκος, Α.Ε.\",5.00"
    )


def test_ids():
    assert render.rows(ROWS, "ids", COLS) == "ORD-A-0001\nORD-A-0002"


def test_empty_listings():
    assert render.rows([], "table", COLS) == "(none)"
    assert render.rows([], "json", COLS) == "[]"
    assert render.rows([], "yaml", COLS) == "[]"
    assert render.rows([], "ids", COLS) == ""
    assert render.rows([], "csv", COLS) == "id,state,customer,gross"


def test_one_record_as_a_block_or_a_list_of_one():
    item = {"id": "CUS-A-0001", "state": "active", "name": "Μαρία", "email": None}
    assert render.one(item, "table") == "id:    CUS-A-0001\nstate: active\nname:  Μαρία"
    assert render.one(item, "json").startswith('[\n  {\n    "id": "CUS-A-0001"')
