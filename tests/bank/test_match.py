"""`bank match`: every rule (reference, IBAN, bank-rules.yaml), ambiguity named, by hand,
unmatch; each match posted through the books' own payment code; reconcile and the daily report."""

from __future__ import annotations

import json

from tests.bank.conftest import DATA, invoice, state_of
from tests.conftest import load, snapshot

RULES = """\
rules:
  - name: electricity
    match: 'ΔΕΗ|DEH'
    field: counterparty
    direction: out
    account: Expenses:Utilities
"""


def rows(result) -> dict[str, dict]:
    return {r["id"]: r for r in json.loads(result.stdout)}


def camt(cli, shop, rules: bool = True):
    if rules:
        (shop / "bank-rules.yaml").write_text(RULES, "utf-8")
    cli("bank", "import", DATA / "eurobank-2026-11.camt053.xml")


def test_a_month_matches_itself_and_names_what_is_left(cli, shop):
    camt(cli, shop)
    res = cli("bank", "match", code=1)  # one line needs a person
    out = res.stdout
    assert "BNK-A-0001" in out and "INV-A-0001 12.40 (by reference)" in out  # RF in the structured ref
    assert "INV-A-0002 24.80 (by iban)" in out  # the taverna's IBAN, its one invoice of 24.80
    assert "Expenses:Utilities by rule 'electricity'" in out
    assert "INV-A-0003 37.20 (by reference)" in out  # the invoice number in the text of a batch part
    assert "BIL-A-0001 248.00 (by reference)" in out.split("BNK-A-0006")[1]  # their number ΤΠ-2026/117
    assert "for a person" in out.split("BNK-A-0005")[1]
    assert "need a person" in res.stderr
    for inv in ("INV-A-0001", "INV-A-0002", "INV-A-0003"):
        assert state_of(shop, inv) == "back/invoices/paid"
    assert state_of(shop, "BIL-A-0001") == "back/bills/paid"
    assert state_of(shop, "BNK-A-0001") == "back/bank/matched/2026/11"
    assert state_of(shop, "BNK-A-0005") == "back/bank/unmatched"
    line = load(shop, "back/bank/matched/2026/11/BNK-A-0002.yaml")
    assert line["paid"] == ["INV-A-0002"] and len(line["txns"]) == 1
    txn = next(shop.rglob(f"{line['txns'][0]}.yaml"))
    data = load(shop, str(txn.relative_to(shop)))
    assert (data["kind"], data["ref"], data["date"]) == ("payment", "INV-A-0002", "2026-11-05")
    rule = load(shop, "back/bank/matched/2026/11/BNK-A-0003.yaml")
    assert rule["rule"] == "electricity" and not rule.get("paid")
    cli("ledger", "check")
    # reconcile: the one line left explains the whole difference
    rec = cli("bank", "reconcile", "--format", "json", code=1)
    got = json.loads(rec.stdout)
    assert [(r["state"], r["id"], r["amount"]) for r in got] == [
        ("bank", "STM-A-0001", "832.30"),
        ("books", "Assets:Bank", "819.90"),
        ("bank only", "BNK-A-0005", "12.40"),
        ("differ", "=", "12.40"),
    ]
    daily = cli("report", "daily").stdout
    assert "bank lines waiting for a person (in / out)" in daily and "1  12.40 EUR / 0.00 EUR" in daily
    # the person decides: a deposit for an order not yet invoiced, posted to an account by hand
    cli("bank", "match", "BNK-A-0005", "--to", "Income:Other")
    assert cli("-q", "bank", "match").stdout == ""  # nothing left: quiet, exit 0
    assert json.loads(cli("bank", "reconcile", "--format", "json").stdout)[-1]["state"] == "agree"
    cli("doctor")  # bank-rules.yaml and the undated unmatched/ folder are known to it


def test_dry_run_changes_nothing(cli, shop):
    camt(cli, shop)
    before = snapshot(shop)
    out = cli("bank", "match", "--dry-run", code=1).stdout
    assert out.count("would match") == 5
    assert snapshot(shop) == before


def test_two_invoices_of_the_same_amount_are_left_with_both_named(cli, shop, clock):
    clock.set("2026-11-02T10:00:00+02:00")
    fourth = invoice(cli, 2, 2)  # the taverna owes 24.80 twice now
    clock.set("2026-11-30T23:00:00+02:00")
    camt(cli, shop)
    before = load(shop, "back/bank/unmatched/BNK-A-0002.yaml")
    out = cli("bank", "match", code=1).stdout
    part = out.split("BNK-A-0002")[1].split("BNK-A-0003")[0]
    assert "for a person" in part and "INV-A-0002" in part and fourth in part
    assert load(shop, "back/bank/unmatched/BNK-A-0002.yaml") == before
    cli("bank", "match", "BNK-A-0002", "--to", fourth)  # settled by hand
    assert state_of(shop, fourth) == "back/invoices/paid"
    assert state_of(shop, "INV-A-0002") == "back/invoices/open"
    cli("ledger", "check")


def test_a_set_of_open_invoices_paid_by_one_transfer(cli, shop, clock, tmp_path):
    clock.set("2026-11-02T10:00:00+02:00")
    other = invoice(cli, 2, 1)  # the taverna owes 24.80 + 12.40
    clock.set("2026-11-30T23:00:00+02:00")
    path = tmp_path / "set.sta"
    path.write_text(
        (DATA / "piraeus-2026-11-b.sta")
        .read_text()
        .replace("C24,80NTRF", "C37,20NTRF")
        .replace("1030,70", "1043,10")
        .replace(":60F:C261111EUR1012,40", ":60F:C261111EUR1012,40")
    )
    cli("bank", "import", path)
    out = cli("bank", "match", code=1).stdout  # the DEH line has no rule here
    assert f"INV-A-0002 24.80, {other} 12.40 (by iban)" in out
    assert state_of(shop, other) == "back/invoices/paid"


def test_partial_payment_overpayment_and_a_second_payment(cli, shop, tmp_path):
    sta = (DATA / "piraeus-2026-11-a.sta").read_text()
    path = tmp_path / "p.sta"
    path.write_text(
        sta.replace("C12,40NTRF", "C10,00NTRF").replace("1005,90", "1003,50")
    )  # 10.00 of INV-A-0001's 12.40
    cli("bank", "import", path)
    out = cli("bank", "match", code=1).stdout
    assert "INV-A-0001 10.00 (by reference)" in out
    owed = json.loads(cli("invoice", "show", "INV-A-0001", "--format", "json").stdout)
    owed = owed[0] if isinstance(owed, list) else owed
    assert owed["owed"] == "2.40" and owed["state"] == "open"
    more = tmp_path / "q.sta"
    more.write_text(
        sta.replace(":20:PIR261115", ":20:PIR261130")
        .replace(":60F:C261031EUR1000,00", ":60F:C261115EUR1003,50")
        .replace("C12,40NTRFNONREF//PB26110300017", "C5,00NTRFNONREF//PB26112000050")
        .replace(":61:2611031103", ":61:2611201120")
        .replace("D6,50NDDTNONREF//PB26111200021", "D1,00NDDTNONREF//PB26112100051")
        .replace(":61:2611121112", ":61:2611211121")
        .replace("C261115EUR1005,90", "C261130EUR1007,50")
    )
    cli("bank", "import", more)
    out = cli("bank", "match", code=1).stdout
    over = next(line for line in out.splitlines() if " 5.00 " in line)
    assert "for a person" in over and "more than is owed" in over  # 5.00 for the 2.40 still owed
    assert state_of(shop, "INV-A-0001") == "back/invoices/open"


def test_a_second_payment_of_a_paid_invoice_is_left_for_a_person(cli, shop, tmp_path):
    sta = (DATA / "piraeus-2026-11-a.sta").read_text()
    again = ":61:2611141114C12,40NTRFNONREF//PB26111400030\n:86:166?00SEPA CREDIT TRANSFER?20RF64INVA0001?32GEORGIOU NIKOLAOS\n"
    path = tmp_path / "twice.sta"
    path.write_text(sta.replace(":62F:C261115EUR1005,90", again + ":62F:C261115EUR1018,30"))
    cli("bank", "import", path)
    out = cli("bank", "match", code=1).stdout
    assert "INV-A-0001 12.40 (by reference)" in out.split("BNK-A-0002")[0]
    assert "which owe(s) nothing: paid twice?" in out.split("BNK-A-0003")[1]


def test_a_payment_typed_by_hand_is_claimed_not_posted_twice(cli, shop):
    cli("invoice", "pay", "INV-A-0001", "all", "--date", "2026-11-03")
    camt(cli, shop)
    out = cli("bank", "match", code=1).stdout
    assert "already in the books (INV-A-0001)" in out.split("BNK-A-0001")[1].split("BNK-A-0002")[0]
    line = load(shop, "back/bank/matched/2026/11/BNK-A-0001.yaml")
    assert line["rule"] == "recorded" and line["paid"] == ["INV-A-0001"]
    payments = json.loads(cli("invoice", "show", "INV-A-0001", "--format", "json").stdout)[0]["payments"]
    assert len(payments) == 1 and payments[0]["txn"] == line["txns"][0]
    cli("ledger", "check")
    rec = json.loads(cli("bank", "reconcile", "--format", "json", code=1).stdout)
    assert [r["state"] for r in rec] == ["bank", "books", "bank only", "differ"]
    cli("bank", "unmatch", "BNK-A-0001")  # releases the claim; the typed payment stays
    assert state_of(shop, "INV-A-0001") == "back/invoices/paid"
    rec = json.loads(cli("bank", "reconcile", "--format", "json", code=1).stdout)
    assert [(r["state"], r["id"]) for r in rec if r["state"].endswith("only")] == [
        ("bank only", "BNK-A-0001"),
        ("books only", line["txns"][0]),
        ("bank only", "BNK-A-0005"),
    ]
    cli("ledger", "check")


def test_unmatch_reverses_the_payment_and_reopens_invoice_and_order(cli, shop):
    camt(cli, shop)
    cli("bank", "match", code=1)
    order = load(shop, "back/invoices/paid/INV-A-0001.yaml")["order"]
    assert state_of(shop, order).startswith("archive/orders/closed")
    cli("bank", "unmatch", "BNK-A-0001")
    assert state_of(shop, "INV-A-0001") == "back/invoices/open"
    assert state_of(shop, order) == "back/orders/invoiced"
    assert state_of(shop, "BNK-A-0001") == "back/bank/unmatched"
    line = load(shop, "back/bank/unmatched/BNK-A-0001.yaml")
    assert "txns" not in line and "paid" not in line
    cli("ledger", "check")
    cli("bank", "unmatch", "BNK-A-0003")  # a rule's entry, reversed
    cli("bank", "unmatch", "BNK-A-0006")  # the bill: open again, its PO billed again
    assert state_of(shop, "BIL-A-0001") == "back/bills/open"
    assert state_of(shop, "PO-A-0001") == "back/purchases/billed"
    cli("ledger", "check")
    # and matched again, by the same rules
    cli("bank", "match", code=1)
    assert state_of(shop, "INV-A-0001") == "back/invoices/paid"
    assert state_of(shop, "BIL-A-0001") == "back/bills/paid"
    cli("ledger", "check")
    rec = json.loads(cli("bank", "reconcile", "--format", "json", code=1).stdout)
    assert [r["state"] for r in rec] == ["bank", "books", "bank only", "differ"]  # reversed pairs cancel


def test_refusals_are_one_line_and_change_nothing(cli, shop, refused):
    camt(cli, shop)
    cli("bank", "match", code=1)
    refused("bank", "match", "BNK-A-0001", "--to", "INV-A-0002", match="state is matched")
    refused("bank", "match", "BNK-A-0005", "--to", "INV-A-0001", match="paid, it owes nothing")
    refused("bank", "match", "BNK-A-0005", "--to", "Assets:Receivable", match="a control account")
    refused("bank", "unmatch", "BNK-A-0005", match="state is unmatched")
    txn = load(shop, "back/bank/matched/2026/11/BNK-A-0003.yaml")["txns"][0]
    refused("ledger", "reverse", txn, match="bank unmatch")
    cli("bank", "match", "BNK-A-0005", code=2)  # LINE without --to


def test_bank_rules_yaml_mistakes_name_the_file_and_rule(cli, shop, refused):
    camt(cli, shop, rules=False)
    (shop / "bank-rules.yaml").write_text(
        "rules:\n  - name: bad\n    match: '(['\n    account: Expenses:Utilities\n"
    )
    refused("bank", "match", match="bank-rules.yaml: rules: bad: match:")
    (shop / "bank-rules.yaml").write_text(
        "rules:\n  - name: owed\n    match: x\n    account: Assets:Receivable\n"
    )
    refused(
        "bank", "match", match="bank-rules.yaml: rules: owed: account Assets:Receivable is a control account"
    )


def test_invoice_carries_its_rf_reference_and_prints_it_with_the_iban(cli, shop):
    from stdnum import iso11649

    inv = load(shop, "back/invoices/open/INV-A-0001.yaml")
    assert inv["reference"] == "RF64INVA0001" and iso11649.is_valid(inv["reference"])
    html = cli("print", "invoice", "INV-A-0001", "--to", "html").stdout
    assert 'id="rf">RF64 INVA 0001<' in html


def test_a_bill_by_the_suppliers_iban_and_by_hand(cli, shop, tmp_path):
    sta = (DATA / "piraeus-2026-11-a.sta").read_text()
    out_line = (
        ":61:2611141114D248,00NTRFNONREF//PB26111400040\n"
        ":86:177?00SEPA CREDIT TRANSFER?20PLIROMI?31GR0402600250000990200777888?32SIFNOS\n"
    )
    path = tmp_path / "bill.sta"
    path.write_text(sta.replace(":62F:C261115EUR1005,90", out_line + ":62F:C261115EUR757,90"))
    cli("bank", "import", path)
    out = cli("bank", "match", code=1).stdout  # the DEH line has no rule here
    assert "BIL-A-0001 248.00 (by iban)" in out
    assert state_of(shop, "BIL-A-0001") == "back/bills/paid"
    assert state_of(shop, "PO-A-0001").startswith("archive/purchases/closed")
    cli("bank", "unmatch", "BNK-A-0003")
    assert state_of(shop, "PO-A-0001") == "back/purchases/billed"
    cli("bank", "match", "BNK-A-0003", "--to", "BIL-A-0001")  # by hand now
    assert state_of(shop, "BIL-A-0001") == "back/bills/paid"
    cli("bank", "match", "BNK-A-0002", "--to", "Expenses:Utilities")
    cli("ledger", "check")
    assert json.loads(cli("bank", "reconcile", "--format", "json").stdout)[-1]["state"] == "agree"


def test_ledger_check_names_a_matched_line_whose_entry_is_gone(cli, shop):
    camt(cli, shop)
    cli("bank", "match", code=1)
    txn = load(shop, "back/bank/matched/2026/11/BNK-A-0003.yaml")["txns"][0]
    next(shop.rglob(f"{txn}.yaml")).unlink()  # a hand deletion of the electricity entry
    out = cli("ledger", "check", code=1).stdout
    assert f"back/bank/matched/2026/11/BNK-A-0003.yaml: txns: no ledger entry {txn}" in out
    assert "no bank line or entry explains" in out


def test_the_printed_invoice_shows_the_rf_reference_beside_the_iban(cli, shop):
    from officecli.store import yamlio

    conf = yamlio.loads((shop / "office.yaml").read_text("utf-8"))
    conf.setdefault("company", {})["iban"] = "GR16 0110 1250 0000 0001 2300 695"
    (shop / "office.yaml").write_text(yamlio.dumps(conf), "utf-8")
    html = cli("print", "invoice", "INV-A-0001", "--to", "html").stdout
    block = html.split('id="rf"', 1)[1].split("</div>", 1)[0]
    assert ">RF64 INVA 0001<" in block and "IBAN: GR16 0110 1250 0000 0001 2300 695" in block


def test_a_second_bank_account_of_the_chart_is_matched_and_reconciled_on_its_own(cli, shop):
    from officecli.store import yamlio

    conf = yamlio.loads((shop / "office.yaml").read_text("utf-8"))
    conf["accounts"]["Assets:Bank:Piraeus"] = "asset"
    (shop / "office.yaml").write_text(yamlio.dumps(conf), "utf-8")
    cli(
        "ledger",
        "post",
        "--date",
        "2026-10-01",
        "Άνοιγμα Πειραιώς",
        "Assets:Bank:Piraeus",
        "1000",
        "Equity:Capital",
    )
    camt(cli, shop)  # Eurobank -> Assets:Bank
    cli("bank", "import", DATA / "piraeus-2026-11-b.sta", "--account", "Assets:Bank:Piraeus")
    cli("bank", "match", code=1)
    line = json.loads(cli("bank", "list", "--account", "Assets:Bank:Piraeus", "--format", "json").stdout)
    taverna = next(r for r in line if r["amount"] == "24.80")
    assert taverna["state"] == "unmatched"  # INV-A-0002 was paid through Eurobank first
    deh = next(r for r in line if r["amount"] == "-6.50")
    txn = next(shop.rglob(f"{deh['txns'][0]}.yaml"))
    assert {"account": "Assets:Bank:Piraeus", "amount": "-6.50"} in load(shop, str(txn.relative_to(shop)))[
        "postings"
    ]
    assert "statements of 2 accounts" in cli("bank", "reconcile", code=1).stderr  # which one?
    rec = json.loads(
        cli("bank", "reconcile", "--account", "Assets:Bank:Piraeus", "--format", "json", code=1).stdout
    )
    assert [(r["state"], r["amount"]) for r in rec if r["state"] in ("opening", "bank only")] == [
        ("opening", "12.40"),  # piraeus-b opens at 1,012.40; the books held 1,000.00 before it
        ("bank only", "24.80"),
    ]
    cli("ledger", "check")


def test_ledger_check_names_a_bank_line_imported_twice(cli, shop):
    camt(cli, shop)
    twin = (
        (shop / "back/bank/unmatched/BNK-A-0005.yaml").read_text("utf-8").replace("BNK-A-0005", "BNK-B-0001")
    )
    (shop / "back/bank/unmatched/BNK-B-0001.yaml").write_text(twin, "utf-8")  # as a merge would bring it
    out = cli("ledger", "check", code=1).stdout
    assert "back/bank/unmatched/BNK-B-0001.yaml: identity: the same bank line as BNK-A-0005" in out
