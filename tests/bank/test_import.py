"""`bank import`: CAMT.053, MT940 and CSV files as banks write them; each line once;
balances checked against the lines and the statement before."""

from __future__ import annotations

import json
import shutil

from tests.bank.conftest import ACCOUNT_IBAN, DATA, state_of
from tests.conftest import load, snapshot


def lines(cli) -> list[dict]:
    return json.loads(cli("bank", "list", "--format", "json").stdout)


def test_camt053_each_booked_entry_a_line_and_a_batch_split_into_its_payments(cli, shop):
    out = cli("bank", "import", DATA / "eurobank-2026-11.camt053.xml").stdout
    assert "6 line(s), added 6" in out
    got = lines(cli)
    assert [(r["date"], r["amount"]) for r in got] == [
        ("2026-11-03", "12.40"),
        ("2026-11-05", "24.80"),
        ("2026-11-10", "-6.50"),
        ("2026-11-20", "37.20"),  # the batch of 49.60, split into its two payments
        ("2026-11-20", "12.40"),
        ("2026-11-25", "-248.00"),
    ]  # the pending entry (Sts PDNG) of 99.00 is not on the account yet
    first = got[0]
    assert first["reference"] == "RF64INVA0001"
    assert first["counterparty"] == "ΓΕΩΡΓΙΟΥ ΝΙΚΟΛΑΟΣ"
    assert first["identity"] == "ref:Assets:Bank:ERB261103A0001"
    assert got[3]["identity"] == "ref:Assets:Bank:ERB261120B0004/ERB261120B0004-1"
    assert all(state_of(shop, r["id"]) == "back/bank/unmatched" for r in got)
    stm = load(shop, "back/bank/statements/2026/11/STM-A-0001.yaml")
    assert (stm["opening"], stm["closing"], stm["iban"], stm["format"]) == (
        "1000.00",
        "832.30",
        ACCOUNT_IBAN,
        "camt.053",
    )
    assert (stm["from"], stm["date"], stm["lines"], stm["new"]) == ("2026-11-01", "2026-11-30", 6, 6)


def test_the_same_file_twice_adds_nothing_the_second_time(cli, shop):
    cli("bank", "import", DATA / "eurobank-2026-11.camt053.xml")
    before = snapshot(shop)
    out = cli("bank", "import", DATA / "eurobank-2026-11.camt053.xml").stdout
    assert "added 0, 6 already imported (statement already imported)" in out
    assert snapshot(shop) == before
    assert cli("-q", "bank", "import", DATA / "eurobank-2026-11.camt053.xml").stdout == ""


def test_dry_run_says_what_it_would_add_and_changes_nothing(cli, shop):
    before = snapshot(shop)
    out = cli("bank", "import", DATA / "eurobank-2026-11.camt053.xml", "--dry-run").stdout
    assert "would add 6" in out
    assert snapshot(shop) == before


def test_mt940_with_structured_86_details(cli, shop):
    cli("bank", "import", DATA / "piraeus-2026-11-a.sta")
    got = lines(cli)
    assert [(r["date"], r["amount"], r["counterparty"], r.get("iban")) for r in got] == [
        ("2026-11-03", "12.40", "GEORGIOU NIKOLAOS", "GR7601400400400002320012345"),
        ("2026-11-12", "-6.50", "DEH AE", "GR8401721360005136007432191"),
    ]
    assert "RF64INVA0001" in got[0]["text"]
    assert got[0]["identity"] == "ref:Assets:Bank:PB26110300017"
    stm = load(shop, "back/bank/statements/2026/11/STM-A-0001.yaml")
    assert (stm["bank_id"], stm["opening"], stm["closing"], stm["from"]) == (
        "PIR261115:00045/001",
        "1000.00",
        "1005.90",
        "2026-11-01",
    )


def test_overlapping_statements_add_the_shared_lines_once(cli, shop):
    cli("bank", "import", DATA / "piraeus-2026-11-a.sta")
    out = cli("bank", "import", DATA / "piraeus-2026-11-b.sta").stdout
    assert "2 line(s), added 1, 1 already imported" in out
    assert [r["amount"] for r in lines(cli)] == ["12.40", "-6.50", "24.80"]
    stms = json.loads(cli("bank", "statements", "--format", "json").stdout)
    assert [(r["id"], r["bank_id"], r["closing"], r["lines"], r["new"]) for r in stms] == [
        ("STM-A-0001", "PIR261115:00045/001", "1005.90", 2, 2),
        ("STM-A-0002", "PIR261130:00046/001", "1030.70", 2, 1),
    ]
    cli("ledger", "check")  # the chain: 1,000.00 + the three lines = 1,030.70, b's closing


def test_a_balance_gap_names_both_statements_and_imports_nothing(cli, shop, refused):
    cli("bank", "import", DATA / "piraeus-2026-11-a.sta")
    cli("bank", "import", DATA / "piraeus-2026-11-b.sta")
    err = refused("bank", "import", DATA / "piraeus-2026-12-gap.sta", match="nothing imported").stderr
    assert "piraeus-2026-12-gap.sta" in err and "PIR261215" in err  # this statement
    assert "STM-A-0002" in err and "1,030.70" in err and "PIR261130" in err  # the one before
    assert "69.30" in err


def test_a_statement_whose_lines_do_not_make_its_closing_balance_is_refused(cli, shop, refused, tmp_path):
    bad = tmp_path / "bad.sta"
    bad.write_text((DATA / "piraeus-2026-11-a.sta").read_text().replace("1005,90", "1009,90"))
    refused("bank", "import", bad, match="but it closes at 1,009.90 EUR; nothing imported")


def test_csv_with_bom_semicolons_decimal_comma_and_a_rules_file_beside_it(cli, shop):
    out = cli("bank", "import", DATA / "alpha-2026-11.csv").stdout  # alpha-2026-11.csv.rules
    assert "4 line(s), added 4" in out
    got = lines(cli)
    assert [(r["date"], r["amount"], r["counterparty"]) for r in got] == [
        ("2026-11-03", "12.40", "ΓΕΩΡΓΙΟΥ ΝΙΚΟΛΑΟΣ"),
        ("2026-11-05", "24.80", "ΤΑΒΕΡΝΑ ΤΟ ΛΙΜΑΝΙ"),
        ("2026-11-10", "-6.50", "ΔΕΗ Α.Ε."),
        ("2026-11-20", "37.20", "ΠΑΠΑΔΟΠΟΥΛΟΥ ΜΑΡΙΑ"),
    ]
    assert got[0]["identity"].startswith("fp:Assets:Bank:2026-11-03:12.40:") and got[0]["identity"].endswith(
        ":1"
    )
    stm = load(shop, "back/bank/statements/2026/11/STM-A-0001.yaml")
    assert (stm["opening"], stm["closing"]) == ("1000.00", "1067.90")  # from the balance column
    # the same export again: nothing twice, by the lines' fields and places
    assert "added 0, 4 already imported" in cli("bank", "import", DATA / "alpha-2026-11.csv").stdout


def test_two_equal_payments_on_one_day_are_both_kept_and_kept_once(cli, shop, tmp_path):
    rows = (DATA / "alpha-2026-11.csv").read_text("utf-8-sig").splitlines()
    twice = (
        rows[:3]
        + ["21/11/2026;ΚΑΦΕΣ;CAFE;;3,20;;1.061,50", "21/11/2026;ΚΑΦΕΣ;CAFE;;3,20;;1.064,70"]
        + rows[3:]
    )
    path = tmp_path / "alpha.csv"
    path.write_text("\ufeff" + "\r\n".join(twice) + "\r\n", "utf-8")
    shutil.copy(DATA / "alpha-2026-11.csv.rules", tmp_path / "alpha.csv.rules")
    assert "6 line(s), added 6" in cli("bank", "import", path).stdout
    coffees = [r for r in lines(cli) if r["counterparty"] == "CAFE"]
    assert [r["identity"][-2:] for r in coffees] == [":1", ":2"]
    assert "added 0, 6 already imported" in cli("bank", "import", path).stdout


def test_bad_input_is_one_line_and_changes_nothing(cli, shop, refused, tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_text("a;b\n1;2\n")
    refused("bank", "import", junk, match="needs a rules file")
    broken = tmp_path / "broken.xml"
    broken.write_text("<Document><BkToCstmrStmt><Stmt>")
    refused("bank", "import", broken, match="not well-formed XML")
    rules = tmp_path / "x.rules"
    rules.write_text("date: 1\namount: 2\ncolour: red\n")
    refused("bank", "import", junk, "--rules", rules, match="colour: not a rule")
    refused(
        "bank",
        "import",
        DATA / "eurobank-2026-11.camt053.xml",
        "--account",
        "Assets:Cash",
        match="a bank account is Assets:Bank",
    )
    cli("bank", "import", code=2)  # neither FILE nor --from: usage


def test_drop_folder_for_cron_quiet_when_nothing_new(cli, shop, tmp_path):
    drop = tmp_path / "inbox"
    drop.mkdir()
    assert cli("-q", "bank", "import", "--from", drop).stdout == ""
    shutil.copy(DATA / "piraeus-2026-11-a.sta", drop)
    shutil.copy(DATA / "piraeus-2026-11-b.sta", drop)
    cli("-q", "bank", "import", "--from", drop)
    assert sorted(p.name for p in (drop / "done").iterdir()) == [
        "piraeus-2026-11-a.sta",
        "piraeus-2026-11-b.sta",
    ]
    assert not [p for p in drop.iterdir() if p.is_file()]
    shutil.copy(DATA / "piraeus-2026-12-gap.sta", drop)
    res = cli("-q", "bank", "import", "--from", drop, code=1)
    assert "69.30" in res.stdout and (drop / "piraeus-2026-12-gap.sta").exists()
    (drop / "piraeus-2026-12-gap.sta").unlink()
    assert cli("-q", "bank", "import", "--from", drop).stdout == ""


def test_statements_imported_out_of_order_chain_and_a_mismatch_names_the_next(cli, shop, refused, tmp_path):
    cli("bank", "import", DATA / "piraeus-2026-11-b.sta")
    extra = ":61:2611141114C5,00NTRFNONREF//PB26111400099\n:86:166?00SEPA CREDIT TRANSFER?20TIP\n"
    odd = tmp_path / "odd.sta"
    odd.write_text(
        (DATA / "piraeus-2026-11-a.sta")
        .read_text()
        .replace(":62F:C261115EUR1005,90", extra + ":62F:C261115EUR1010,90")
    )
    err = refused("bank", "import", odd, match="nothing imported").stderr
    assert "STM-A-0001" in err and "PIR261130" in err and "5.00" in err
    assert "added 1, 1 already imported" in cli("bank", "import", DATA / "piraeus-2026-11-a.sta").stdout
    cli("ledger", "check")


def test_mt940_booking_date_is_the_entry_date_the_value_date_kept_beside_it(cli, shop, tmp_path):
    path = tmp_path / "dates.sta"
    path.write_text(
        (DATA / "piraeus-2026-11-a.sta").read_text().replace(":61:2611121112D", ":61:2611131112D")
    )
    cli("bank", "import", path)
    debit = [r for r in lines(cli) if r["amount"] == "-6.50"][0]
    assert (debit["date"], debit["value_date"]) == ("2026-11-12", "2026-11-13")
