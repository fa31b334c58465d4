"""einvoice send: real HTTP to a local server that answers as AADE's myDATA does.

Good, refused, timeout, server error, SIGKILL mid-send, twice: after each, the
record holds AADE's whole answer or nothing at all, nothing is ever sent twice,
and every body the server received passed AADE's XSD.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import load, snapshot
from tests.einvoice.aade import KEY, USER

REPO = Path(__file__).resolve().parents[2]
INV3 = "back/invoices/open/INV-A-0003.yaml"


def _all_valid(aade) -> None:
    assert aade.received, "the server received nothing"
    assert all(errors == [] for errors in aade.invalid), aade.invalid


def test_a_good_answer_is_stored_on_the_invoice_and_it_is_never_sent_twice(aade, run, sample):
    out = run("einvoice", "send", "INV-A-0003", "--format", "json").stdout
    reg = aade.registered[0]
    assert f'"mark": "{reg["mark"]}"' in out and '"status": "sent"' in out
    data = load(sample, INV3)
    assert data["mydata"]["mark"] == str(reg["mark"])
    assert data["mydata"]["uid"] == reg["uid"] and data["mydata"]["qr_url"] == reg["qr"]
    assert data["history"][-1]["action"] == "report" and str(reg["mark"]) in data["history"][-1]["note"]
    assert reg["head"] == ["INV-A", "3", data["date"], "1.1"]
    before = snapshot(sample)
    again = run("einvoice", "send", "3").stdout
    assert "already" in again and len(aade.received) == 1
    assert snapshot(sample) == before
    _all_valid(aade)


def test_pending_sends_invoices_then_credit_notes_with_the_corrected_mark_and_is_quiet_after(
    aade, run, sample
):
    run("einvoice", "send", "--pending")
    marks = {tuple(r["head"][:2]): r["mark"] for r in aade.registered}
    assert len(aade.registered) == 7, aade.registered  # five invoices, two credit notes
    crn = load(sample, "back/invoices/credit-notes/CRN-A-0001.yaml")
    inv4 = load(sample, "back/invoices/credited/INV-A-0004.yaml")
    assert crn["corrects_mark"] == inv4["mydata"]["mark"] == str(marks[("INV-A", "4")])
    body = next(b for b in aade.received if b"<series>CRN-A</series>\n      <aa>1</aa>" in b)
    assert f"<correlatedInvoices>{inv4['mydata']['mark']}</correlatedInvoices>".encode() in body
    assert b"<invoiceType>5.1</invoiceType>" in body
    retail = next(b for b in aade.received if b"<series>CRN-A</series>\n      <aa>2</aa>" in b)
    assert b"<invoiceType>11.4</invoiceType>" in retail and b"<counterpart>" not in retail
    before = snapshot(sample)
    quiet = run("einvoice", "send", "--pending")
    assert quiet.stdout == "" and quiet.stderr == "" and len(aade.received) == 7
    assert snapshot(sample) == before
    _all_valid(aade)


def test_a_refusal_is_stored_with_each_code_and_the_invoice_stays_pending(aade, run, sample):
    aade.mode = "refuse"
    aade.errors = [
        ("202", "Invalid Greek VAT number"),
        ("203", "Gross Value doesn't match with sum of net value plus taxes"),
    ]
    res = run("einvoice", "send", "--pending", code=1)
    err = res.stderr.strip()
    assert "\n" not in err and "202: Invalid Greek VAT number" in err and "INV-A-0001" in err
    data = load(sample, "back/invoices/paid/INV-A-0001.yaml")
    assert "mark" not in data["mydata"] and data["mydata"]["status"] == "ValidationError"
    assert data["mydata"]["errors"].startswith("202: Invalid Greek VAT number; 203: ")
    aade.mode = "good"
    run("einvoice", "send", "INV-A-0001")
    assert load(sample, "back/invoices/paid/INV-A-0001.yaml")["mydata"]["mark"]
    _all_valid(aade)


def test_aades_own_rule_refuses_a_credit_note_sent_before_its_invoice_is_known(aade, run, sample):
    res = run("einvoice", "send", "CRN-A-0001", code=1)
    assert "corrects_mark" in res.stderr and "INV-A-0004" in res.stderr
    assert not aade.received


def test_a_timeout_or_a_server_error_changes_nothing_and_the_next_send_asks_first(aade, run, sample):
    before = snapshot(sample)
    aade.mode, aade.delay = "timeout", 3
    res = run("einvoice", "send", "INV-A-0003", "--timeout", "1", code=1)
    assert "no answer" in res.stderr and "pending" in res.stderr and "\n" not in res.stderr.strip()
    assert snapshot(sample) == before
    aade.mode = "500"
    res = run("einvoice", "send", "INV-A-0003", code=1)
    assert "HTTP 500" in res.stderr
    assert snapshot(sample) == before
    assert aade.lookups == 1  # the timed-out send may have reached AADE: asked before sending
    aade.mode = "good"
    run("einvoice", "send", "INV-A-0003")
    assert aade.lookups == 2 and len(aade.received) == 3  # asked again, had nothing: sent
    assert load(sample, INV3)["mydata"]["mark"] == str(aade.registered[0]["mark"])
    _all_valid(aade)


def test_sigkill_mid_send_leaves_it_pending_and_the_next_send_takes_aades_mark_without_sending(
    aade, run, sample
):
    aade.mode, aade.delay = "slow", 30
    before = snapshot(sample)
    env = dict(os.environ, PYTHONPATH=str(REPO), OFFICECLI_MYDATA_USER=USER, OFFICECLI_MYDATA_KEY=KEY)
    proc = subprocess.Popen(
        [sys.executable, "-m", "officecli", "--root", str(sample), "einvoice", "send", "INV-A-0003"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert aade.arrived.wait(60), proc.communicate()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(sample) == before  # AADE has it, we wrote nothing: pending
    aade.mode = "good"
    out = run("einvoice", "send", "INV-A-0003").stdout
    assert "found" in out and len(aade.received) == 1  # asked, not sent again
    assert load(sample, INV3)["mydata"]["mark"] == str(aade.registered[0]["mark"])
    run("doctor")
    _all_valid(aade)


def test_credentials_come_from_the_environment_or_a_file_outside_the_tree(
    aade, run, sample, monkeypatch, tmp_path
):
    monkeypatch.delenv("OFFICECLI_MYDATA_KEY")
    before = snapshot(sample)
    res = run("einvoice", "send", "3", code=1)
    assert "OFFICECLI_MYDATA_KEY" in res.stderr and snapshot(sample) == before
    inside = sample / "mydata.yaml"
    inside.write_text(f"user_id: {USER}\nsubscription_key: {KEY}\n")
    with open(sample / "office.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"  credentials: {inside}\n")
    assert "inside the records folder" in run("einvoice", "send", "3", code=1).stderr
    outside = tmp_path / "mydata.yaml"
    outside.write_text(f"user_id: {USER}\nsubscription_key: {KEY}\n")
    text = (sample / "office.yaml").read_text("utf-8").replace(str(inside), str(outside))
    (sample / "office.yaml").write_text(text, "utf-8")
    inside.unlink()
    run("einvoice", "send", "3")
    assert load(sample, INV3)["mydata"]["mark"]


def test_a_wrong_key_is_an_http_error_not_an_answer(aade, run, sample, monkeypatch):
    monkeypatch.setenv("OFFICECLI_MYDATA_KEY", "wrong")
    before = snapshot(sample)
    res = run("einvoice", "send", "3", code=1)
    assert "HTTP 401" in res.stderr and snapshot(sample) == before


def test_a_providers_endpoint_from_office_yaml_is_used_instead_of_aade(aade, run, sample):
    text = (
        (sample / "office.yaml")
        .read_text("utf-8")
        .replace(f"url: {aade.url}", "url: http://127.0.0.1:9/unused")
    )
    (sample / "office.yaml").write_text(text + f"  provider: {{url: '{aade.url}'}}\n", "utf-8")
    run("einvoice", "send", "3")
    data = load(sample, INV3)
    assert data["mydata"]["to"] == aade.url and data["mydata"]["mark"] == str(aade.registered[0]["mark"])


def test_two_sends_at_once_send_once(aade, run, sample):
    aade.mode, aade.delay = "slow", 2
    env = dict(os.environ, PYTHONPATH=str(REPO), OFFICECLI_MYDATA_USER=USER, OFFICECLI_MYDATA_KEY=KEY)
    argv = [
        sys.executable,
        "-m",
        "officecli",
        "--root",
        str(sample),
        "--format",
        "json",
        "einvoice",
        "send",
        "INV-A-0003",
    ]
    procs = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    said = sorted(json.loads(out)[0]["status"] for out, _ in outs)
    assert said == ["already", "sent"] and len(aade.received) == 1
    assert load(sample, INV3)["mydata"]["mark"] == str(aade.registered[0]["mark"])


def test_aades_business_rule_201_an_issuer_that_is_not_the_user_is_refused_and_stored(aade, run, sample):
    text = (
        (sample / "office.yaml")
        .read_text("utf-8")
        .replace("vat_number: EL801234567", "vat_number: EL094019245")
    )
    (sample / "office.yaml").write_text(text, "utf-8")
    res = run("einvoice", "send", "INV-A-0003", code=1)
    assert "201: Author VAT number is not the same with User VAT number" in res.stderr
    data = load(sample, INV3)["mydata"]
    assert data["status"] == "ValidationError" and data["errors"].startswith("201: ") and "mark" not in data
    _all_valid(aade)


def test_a_linked_marker_folder_is_refused_and_nothing_is_sent_or_written_outside(
    aade, run, sample, tmp_path
):
    outside = tmp_path / "outside"
    outside.mkdir()
    (sample / ".officecli").mkdir(exist_ok=True)
    (sample / ".officecli" / "einvoice").symlink_to(outside)
    before = snapshot(sample)
    res = run("einvoice", "send", "INV-A-0003", code=1)
    assert "einvoice" in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert aade.received == [] and list(outside.iterdir()) == []
    assert snapshot(sample) == before
