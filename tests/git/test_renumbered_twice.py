"""Failure 3 of issue 27, the state an older officecli left: one collision renumbered at
two sites, so two records both claim ``renumbered_from: [OLD]``. doctor names it in one
line whose advice never deletes a record (planted in one records folder, as git leaves
it after the merge)."""

from __future__ import annotations

from officecli.store import yamlio


def _copy(office, src: str, dst: str, **changes) -> None:
    data = yamlio.loads((office / src).read_text("utf-8"))
    data.update(changes)
    (office / dst).write_text(yamlio.dumps(data), "utf-8")


def _stocked(cli) -> str:
    cli("product", "add", "MUG-01", "--name", "Κούπα", "--price", "12.50", "--cost", "4.10")
    cli("stock", "receive", "MUG-01", "40", "--cost", "4.10")
    cli("customer", "add", "Μαρία Παπαδοπούλου", "--email", "maria@example.gr")
    order = cli("--format", "ids", "order", "add", "--customer", "1", "MUG-01:5").stdout.strip()
    cli("order", "forward", order)
    return order


def test_one_order_renumbered_at_two_sites_is_one_line_that_cancels_never_deletes(office, cli):
    order = _stocked(cli)
    cli("renumber", order, "100")
    src = "back/orders/inbox/ORD-A-0100.yaml"
    _copy(office, src, "back/orders/inbox/ORD-B-0100.yaml", id="ORD-B-0100")
    res = cli("doctor", code=1)
    lines = [line for line in res.stdout.splitlines() if "renumbered" in line]
    assert len(lines) == 1, res.stdout
    assert "ORD-A-0100, ORD-B-0100: one order renumbered at two sites" in lines[0]
    assert "officecli order cancel ORD-B-0100" in lines[0] and "never delete" in lines[0]
    cli("order", "cancel", "ORD-B-0100", "--note", "the same order as ORD-A-0100")
    assert not [line for line in cli("doctor", ok=True).stdout.splitlines() if "renumbered" in line]


def test_two_different_records_claiming_one_earlier_id(office, cli):
    order = _stocked(cli)
    cli("renumber", order, "100")
    other = cli("--format", "ids", "order", "add", "--customer", "1", "MUG-01:1").stdout.strip()
    data = yamlio.loads((office / f"front/orders/open/{other}.yaml").read_text("utf-8"))
    data["renumbered_from"] = [order]
    data["created"] = data["history"][0]["at"] = "2026-11-02T11:00:00+02:00"  # made later
    (office / f"front/orders/open/{other}.yaml").write_text(yamlio.dumps(data), "utf-8")
    res = cli("doctor", code=1)
    lines = [line for line in res.stdout.splitlines() if "renumbered_from" in line]
    assert len(lines) == 1 and "two different orders both renumbered_from" in lines[0], res.stdout
    assert "cancel" not in lines[0] and "drop" in lines[0]
