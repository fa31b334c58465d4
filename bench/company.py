"""A realistic company of any size, written with officecli's own writer (``bench/gen``).

What it makes, deterministically from a seed (same seed, same arguments: the
same bytes in every file):

* an office made by ``init_office`` (office.yaml, every state folder), staff,
  products, customers created over the years;
* orders from 2022-01 to today (``NOW``, 2026-11-26) in every state: each one
  walks its real path (add, forward, ship, invoice, payments, close; or a
  cancel, or an invoice that is never paid, or one credited in full), and is
  filed where that path ends (closed and cancelled ones in
  ``archive/orders/<state>/<year of the step>/``);
* invoices (gapless, numbered in date order), credit notes, the stock moves
  of every shipment and the receipts that keep every SKU in stock, and ledger
  transactions by month that agree with all of them (invoice, payment, COGS,
  stock receipt, credit; rent, payroll and smaller expenses fill the books
  to the number asked for): ``ledger check`` and ``doctor`` are clean. So, as
  office/checks/reconcile.py asks: every move carries its ``value`` as
  office/back/stock.py computes it and each shipment's COGS entry posts exactly
  that; each receipt (no purchase order) waits in Liabilities:GRNI under its
  move's ID, as `stock receive` posts it; each month's payroll entries are named by its run record
  (back/hr/payroll/YYYY-MM.yaml, ``txn``/``payment``, mode 0600 like all of
  back/hr), with everyone's pay record in back/hr/pay;
* complaints in every state (the newest ones still on their way).

Every file is the text officecli itself writes: a record is created in the
layout ``Office.create`` gives it (``records.ordered``), each step appends its
history entry and inserts its changed fields before ``history`` the way
``records.edit_text`` does, and the text is ``yamlio.dumps`` of that (tests/
bench checks this against ``edit_text`` itself). IDs grow with time, as at a
real site.

Dumping YAML is the cost (about 0.3 ms a record); the records are planned in
one process and dumped and written by ``jobs`` forked workers.
"""

from __future__ import annotations

import bisect
import os
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ATHENS = ZoneInfo("Europe/Athens")
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=ATHENS)
NOW_TEXT = "2026-11-26T09:00:00+02:00"
START = datetime(2022, 1, 3, 9, 0, tzinfo=ATHENS)
SITE = "A"
PRIVATE = "back/hr"
C = Decimal("0.01")

SIZES = {
    "1m": dict(customers=20000, orders=200000, transactions=1000000, moves=350000, complaints=10000),
    "100k": dict(customers=2000, orders=20000, transactions=100000, moves=35000, complaints=1000),
    "10k": dict(customers=200, orders=2000, transactions=10000, moves=3500, complaints=100),
    "tiny": dict(customers=12, orders=60, transactions=400, moves=150, complaints=14),
}

PRODUCTS = [  # sku, name, price, vat, cost
    ("MUG-AEG", "Κούπα Αιγαίο 350ml", "12.50", "24", "4.20"),
    ("MUG-SAN", "Κούπα Σαντορίνη λευκή", "11.00", "24", "3.90"),
    ("MUG-NAX", "Κούπα Νάξος μπλε", "13.50", "24", "4.60"),
    ("CUP-ESP", "Φλιτζάνι εσπρέσο Σίφνος", "8.40", "24", "2.70"),
    ("BOWL-MIL", "Μπολ Μήλος", "9.80", "24", "3.10"),
    ("BOWL-SAL", "Σαλατιέρα Κρήτη 28cm", "34.00", "24", "12.20"),
    ("PLT-OLV", "Πιάτο Ελιά 27cm", "18.00", "24", "7.00"),
    ("PLT-DES", "Πιάτο γλυκού Ύδρα", "10.50", "24", "3.80"),
    ("JUG-LIN", "Κανάτα Λίνδος 1L", "26.00", "24", "9.60"),
    ("VASE-AMF", "Βάζο Αμφορέας", "64.00", "24", "21.50"),
    ("VASE-KNS", "Βάζο Κνωσός μικρό", "38.50", "24", "12.40"),
    ("VASE-MIN", "Βάζο Μινωικό μεγάλο", "92.00", "24", "33.00"),
    ("LAMP-TER", "Λάμπα τερακότα", "74.00", "24", "27.50"),
    ("TILE-SET", "Πλακάκια ζωγραφιστά (σετ 6)", "42.00", "24", "15.00"),
    ("OIL-BTL", "Λαδικό Καλαμάτα", "16.00", "24", "5.40"),
    ("HONEY-POT", "Μελιέρα Θάσος", "14.00", "24", "4.90"),
    ("SOAP-DSH", "Σαπουνοθήκη Χίος", "7.50", "24", "2.30"),
    ("CAND-HLD", "Κηροπήγιο Δήλος", "19.00", "24", "6.60"),
    ("OLIVE-OIL", "Ελαιόλαδο εξαιρετικό παρθένο 500ml", "11.80", "13", "6.10"),
    ("HONEY-THY", "Θυμαρίσιο μέλι 450g", "9.60", "13", "5.20"),
    ("BOOK-KER", "Βιβλίο: Η τέχνη του τροχού", "22.00", "6", "11.00"),
    ("BOOK-GLZ", "Βιβλίο: Υαλώματα και χρώματα", "27.00", "6", "13.50"),
]

STAFF = [  # name, office, department, title
    ("Μαρία Κωνσταντίνου", "back", "hr", "HR manager"),
    ("Γιώργος Παπαδάκης", "back", "accounting", "Accountant"),
    ("Ελένη Μάρκου", "back", "warehouse", "Warehouse manager"),
    ("Δήμητρα Σταύρου", "back", "product", "Product lead"),
    ("Νίκος Αλεξίου", "front", "sales", "Sales"),
    ("Σοφία Δήμου", "front", "service", "Customer service"),
    ("Κατερίνα Ιωάννου", "front", "marketing", "Marketing"),
    ("Παναγιώτης Βλάχος", "front", "sales", "Key accounts"),
    ("Κώστας Νικολάου", "back", "warehouse", "Warehouse"),
    ("Αθηνά Γεωργίου", "back", "accounting", "Bookkeeper"),
]
SALES = (4, 7)  # indexes into STAFF: who takes orders
SERVICE = 5
WAREHOUSE = (2, 8)
BOOKS = (1, 9)
HANDLERS = (3, 2, 1)  # who takes complaints

FIRST = [
    "Μαρία",
    "Γιάννης",
    "Ελένη",
    "Κώστας",
    "Αικατερίνη",
    "Δημήτρης",
    "Σοφία",
    "Νίκος",
    "Αναστασία",
    "Παναγιώτης",
    "Χριστίνα",
    "Βασίλης",
    "Ευαγγελία",
    "Γιώργος",
    "Δέσποινα",
    "Θανάσης",
    "Ιωάννα",
    "Μιχάλης",
    "Ζωή",
    "Στέλιος",
]
LAST = [
    "Παπαδοπούλου",
    "Οικονόμου",
    "Γεωργίου",
    "Αντωνίου",
    "Νικολάου",
    "Καραγιάννη",
    "Βασιλείου",
    "Δημητρίου",
    "Αλεξίου",
    "Μαυρίδη",
    "Ζαχαρίου",
    "Παππά",
    "Λαμπράκη",
    "Χατζή",
    "Σταυρίδη",
]
SHOPS = [
    "Κατάστημα Πηλός & Φως",
    "Ξενοδοχείο Αιγαίο Α.Ε.",
    "Εστιατόριο Το Λιμάνι",
    "Καφέ Ανατολή",
    "Δώρα Ερμής Ο.Ε.",
    "Ξενώνας Αστέρι",
    "Taverna Blue",
    "Galerie Μέδουσα",
]
STREETS = ["Ερμού", "Αθηνάς", "Πατησίων", "Σταδίου", "Κορωπίου", "Εγνατίας", "Τσιμισκή", "Αγίου Νικολάου"]
TOWNS = [
    ("105 63", "Αθήνα"),
    ("546 23", "Θεσσαλονίκη"),
    ("712 02", "Ηράκλειο"),
    ("847 00", "Σαντορίνη"),
    ("262 21", "Πάτρα"),
    ("190 03", "Μαρκόπουλο"),
    ("851 00", "Ρόδος"),
    ("491 00", "Κέρκυρα"),
]
COURIERS = ["ACS", "ΕΛΤΑ Courier", "Speedex", "Geniki Taxydromiki"]
COMPLAINTS = [
    "Η κούπα έφτασε με ραγισμένη λαβή",
    "Λείπει ένα κομμάτι από το δέμα",
    "Το χρώμα δεν είναι αυτό της φωτογραφίας",
    "Η παράδοση άργησε δύο εβδομάδες",
    "Χρεώθηκα δύο φορές",
    "Το βάζο έχει ράγισμα στον πάτο",
    "Wrong item delivered: ordered plates, got bowls",
    "Το τιμολόγιο έχει λάθος ΑΦΜ",
]
RESOLUTIONS = [
    "Στάλθηκε νέο κομμάτι χωρίς χρέωση",
    "Επιστροφή χρημάτων για το κομμάτι",
    "Εξηγήσαμε την καθυστέρηση· έκπτωση στην επόμενη παραγγελία",
    "Διορθώθηκε και στάλθηκε ξανά",
]
CANCEL = ["customer changed mind", "ο πελάτης βρήκε φθηνότερα", "διπλή παραγγελία", "out of stock too long"]
EXPENSES = [  # description, debit, credit, low, high, weight
    ("Μεταφορικά (courier)", "Expenses:Shipping", "Assets:Bank", 8, 120, 5),
    ("Διαφήμιση στο διαδίκτυο", "Expenses:Marketing", "Assets:Bank", 20, 600, 2),
    ("Γραφική ύλη", "Expenses:Other", "Assets:Cash", 3, 80, 2),
    ("Συσκευασίες (κουτιά, φελιζόλ)", "Expenses:Shipping", "Assets:Cash", 5, 150, 3),
    ("Λογαριασμός ρεύματος εργαστηρίου", "Expenses:Utilities", "Assets:Bank", 40, 400, 1),
    ("Τόκοι καταθέσεων", "Assets:Bank", "Income:Other", 1, 30, 1),
    ("Προμήθειες τράπεζας", "Expenses:Other", "Assets:Bank", 1, 15, 2),
]


def stamp(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def workday(rnd: random.Random, day: date, lo: int = 8, hi: int = 19) -> datetime:
    return datetime(day.year, day.month, day.day, rnd.randint(lo, hi), rnd.randrange(0, 60, 5), tzinfo=ATHENS)


def later(rnd: random.Random, t: datetime, lo_h: float, hi_h: float) -> datetime:
    """Some hours after ``t``, moved into working hours."""
    out = (t + timedelta(minutes=rnd.randint(int(lo_h * 60), int(hi_h * 60)))).astimezone(ATHENS)
    if out.hour < 8:
        out = out.replace(hour=rnd.randint(8, 10))
    elif out.hour >= 20:
        d = out.date() + timedelta(days=1)
        out = workday(rnd, d, 8, 11)
    return datetime(out.year, out.month, out.day, out.hour, out.minute, tzinfo=ATHENS)


class Company:
    """Plans every record of the company, then writes them (see the module's docstring)."""

    def __init__(
        self,
        root: Path,
        customers: int,
        orders: int,
        transactions: int,
        moves: int,
        complaints: int,
        seed: int = 1,
    ):
        from officecli.office import records, workflows

        self.records = records
        self.kind = workflows.kind
        self.root = Path(root)
        self.n = dict(
            customers=customers, orders=orders, transactions=transactions, moves=moves, complaints=complaints
        )
        self.rnd = random.Random(seed)
        self.files: list[tuple[str, dict]] = []  # (path, the record in file order): not yet written
        self.sink: Sink | None = None  # set by build(): writes self.files a chunk at a time
        self.counts: dict[str, int] = {}  # files put, by top folder
        self.txns: list[tuple[datetime, dict]] = []  # planned, numbered at the end
        self.moves: list[tuple[datetime, dict]] = []
        self.staff = [f"EMP-{SITE}-{i + 1:04d} {s[0]}" for i, s in enumerate(STAFF)]

    # -- the writer's layout -------------------------------------------------------
    def create(
        self,
        kind_name: str,
        data: dict,
        at: datetime,
        by: str,
        state: str | None = None,
        action: str = "add",
        note: str | None = None,
    ) -> dict:
        """A record as ``Office.create`` lays it out."""
        kind = self.kind(kind_name)
        state = state or next(iter(kind.states))
        body = dict(data)
        if "created" in kind.fields:
            body.setdefault("created", stamp(at))
        if "history" in kind.fields:
            body["history"] = [self.records.history_entry(stamp(at), by, action, None, state, note)]
        return self.records.ordered(kind, body)

    def step(
        self,
        rec: dict,
        at: datetime,
        by: str,
        action: str,
        frm: str,
        to: str | None,
        note: str | None = None,
        changes: dict | None = None,
    ) -> None:
        """One handoff or note as ``records.edit_text`` writes it: changed fields in place,
        new ones just before ``history``, one history entry appended."""
        for key, value in (changes or {}).items():
            if key in rec:
                rec[key] = value
            else:
                history = rec.pop("history")
                rec[key] = value
                rec["history"] = history
        rec["history"].append(
            self.records.history_entry(stamp(at), by, action, frm, to if to != frm else None, note)
        )

    def put(self, kind_name: str, state: str, rec: dict, when: str | None = None) -> None:
        kind = self.kind(kind_name)
        when = when or ""
        folder = kind.folder(state, when[:4], when[5:7])
        path = f"{folder}/{rec[kind.key]}.yaml"
        self.files.append((path, rec))
        top = "/".join(path.split("/")[:2])
        self.counts[top] = self.counts.get(top, 0) + 1
        if self.sink is not None and len(self.files) >= self.sink.chunk:
            self.sink.send(self.files)
            self.files = []

    def txn(
        self,
        at: datetime,
        description: str,
        postings,
        ref=None,
        kind=None,
        day: date | None = None,
        by: str | None = None,
        reverses=None,
        document=None,
    ) -> dict:
        data = {
            "id": None,
            "date": (day or at.date()).isoformat(),
            "description": description,
            "postings": [{"account": a, "amount": str(Decimal(v).quantize(C))} for a, v in postings],
            "ref": ref,
            "reverses": reverses,
            "kind": kind,
            "document": document,
            "at": stamp(at),
            "by": by or self.staff[BOOKS[0]],
        }
        data = {k: v for k, v in data.items() if v is not None or k == "id"}
        self.txns.append((at, data))
        return data

    # -- the plan ------------------------------------------------------------------
    def plan(self) -> None:
        span_days = (NOW.date() - START.date()).days
        self.span_days = span_days
        self._staff_and_products()
        self._customers(span_days)
        self._orders(span_days)
        self._stock()
        self._complaints(span_days)
        self._books(span_days)
        # numbers grow with time at a site: moves and entries are numbered in time order
        # (a stable sort: what happened at the same minute keeps the order it was planned in)
        for prefix, planned in (("MOV", self.moves), ("TXN", self.txns)):
            planned.sort(key=lambda p: p[0])
            for n, (_, data) in enumerate(planned, 1):
                data["id"] = f"{prefix}-{SITE}-{n:04d}"
        self._values()
        for fill in self._fills:  # orders, invoices, credit notes: they name the entries
            fill()
        self._fills = []  # what is written need not be kept
        self.orders = []
        for _, data in self.txns:  # a receipt's entry names its move
            if isinstance(data.get("ref"), dict):
                data["ref"] = data["ref"]["id"]
        for name, planned in (("stock_move", self.moves), ("ledger_txn", self.txns)):
            fields = list(self.kind(name).fields)  # plain text already: records.ordered's order
            planned.reverse()
            while planned:  # dropped as they are put (and written a chunk at a time)
                _, data = planned.pop()
                self.put(
                    name, "posted", {k: data[k] for k in fields if data.get(k) is not None}, data["date"]
                )

    def _staff_and_products(self) -> None:
        rnd = self.rnd
        hired = START - timedelta(days=30)
        for i, (name, office, dept, title) in enumerate(STAFF):
            ident = f"EMP-{SITE}-{i + 1:04d}"
            rec = self.create(
                "employee",
                {
                    "id": ident,
                    "name": name,
                    "office": office,
                    "department": dept,
                    "title": title,
                    "start": (hired.date() + timedelta(days=i)).isoformat(),
                    "email": f"staff{i + 1}@keramika.example.gr",
                },
                hired,
                "setup",
                state="active",
            )
            self.put("employee", "active", rec)
        self.products = {}
        for sku, name, price, vat, cost in PRODUCTS:
            rec = self.create(
                "product",
                {
                    "sku": sku,
                    "name": name,
                    "price": price,
                    "vat": vat,
                    "cost": cost,
                    "reorder_level": rnd.choice([6, 10, 12, 20]),
                },
                hired + timedelta(days=1),
                self.staff[WAREHOUSE[0]],
                state="active",
            )
            self.put("product", "active", rec)
            self.products[sku] = (name, Decimal(price), vat, Decimal(cost))

    def _customers(self, span_days: int) -> None:
        rnd = self.rnd
        n = self.n["customers"]
        early = max(1, n // 10)
        times = sorted(
            [workday(rnd, START.date() - timedelta(days=rnd.randint(0, 20))) for _ in range(early)]
            + [
                workday(rnd, START.date() + timedelta(days=rnd.randint(0, span_days - 1)))
                for _ in range(n - early)
            ]
        )
        self.cust_times = times
        self.customers = []
        for i, at in enumerate(times, 1):
            ident = f"CUS-{SITE}-{i:04d}"
            shop = rnd.random() < 0.25
            zipc, town = rnd.choice(TOWNS)
            name = f"{rnd.choice(SHOPS)} {i}" if shop else f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
            data = {
                "id": ident,
                "name": name,
                "email": f"customer{i}@example.gr",
                "phone": f"+30 210 {rnd.randint(1000000, 9999999)}",
                "address": f"{rnd.choice(STREETS)} {rnd.randint(1, 200)}, {zipc} {town}",
            }
            if shop:
                data["vat_number"] = f"EL{rnd.randint(100000000, 999999999)}"
                data["tags"] = rnd.choice([["horeca"], ["retail"], ["horeca", "vip"], ["wholesale"]])
            elif rnd.random() < 0.3:
                data["tags"] = ["retail"]
            if rnd.random() < 0.5:
                data["source"] = rnd.choice(["web", "shop", "referral", "fair"])
            rec = self.create("customer", data, at, self.staff[rnd.choice(SALES)], state="active")
            self.put("customer", "active", rec)
            self.customers.append(rec)

    def _orders(self, span_days: int) -> None:
        rnd = self.rnd
        n = self.n["orders"]
        recent = max(12, n // 100)  # the newest are still on their way
        times = [
            workday(rnd, START.date() + timedelta(days=rnd.randint(0, span_days - 8)))
            for _ in range(n - recent)
        ]
        times += [later(rnd, NOW - timedelta(days=6), 0, 6 * 24 - 3) for _ in range(recent - 3)]
        times += [NOW - timedelta(minutes=m) for m in (95, 60, 20)]
        times.sort()
        plans = []
        skus = list(self.products)
        for i, created in enumerate(times, 1):
            k = bisect.bisect_right(self.cust_times, created)
            cust = self.customers[min(int(max(k, 1) * rnd.random() ** 1.6), max(k, 1) - 1)]
            p = {
                "id": f"ORD-{SITE}-{i:04d}",
                "customer": cust["id"],
                "cust": cust,
                "created": created,
                "by": self.staff[rnd.choice(SALES)],
            }
            r = rnd.random()
            if r < 0.05:
                p["cancel"] = ("open", later(rnd, created, 1, 40))
            elif r < 0.09:
                p["cancel"] = ("inbox", None)
            p["forward"] = later(rnd, created, 0.2, 20)
            if p.get("cancel") and p["cancel"][0] == "inbox":
                p["cancel"] = ("inbox", later(rnd, p["forward"], 2, 48))
            p["ship"] = later(rnd, p["forward"], 18, 96)
            p["invoice"] = later(rnd, p["ship"], 1, 72)
            f = rnd.random()
            if f < 0.08:
                p["fate"] = "unpaid"
            elif f < 0.11 or i % 40 == 5:  # (a few in the smallest trees too)
                p["fate"] = "credit"
                p["credit"] = later(rnd, p["invoice"], 48, 20 * 24)
            else:
                p["fate"] = "paid"
                first = later(rnd, p["invoice"], 3 * 24, 50 * 24)
                if rnd.random() < 0.12:
                    p["payments"] = [first, later(rnd, first, 5 * 24, 40 * 24)]
                else:
                    p["payments"] = [first]
            p["reached"] = self._reached(p)
            plans.append(p)
        # lines: one per order, then the extra lines that give the moves asked for
        shipped = [p for p in plans if p["reached"] in ("shipped", "invoiced", "closed")]
        want_ship = int(self.n["moves"] * 0.75)
        extra = max(0, want_ship - len(shipped))
        counts = {p["id"]: 1 for p in plans}
        for p in plans:
            if p["reached"] not in ("shipped", "invoiced", "closed") and rnd.random() < 0.4:
                counts[p["id"]] += 1
        cap = min(5, len(skus))
        tries = 0
        while extra > 0 and shipped and tries < 20 * want_ship:
            tries += 1
            p = shipped[rnd.randrange(len(shipped))]
            if counts[p["id"]] < cap:
                counts[p["id"]] += 1
                extra -= 1
        self.ship_lines: list[tuple[datetime, str, int]] = []
        self.invoices = []
        for p in plans:
            chosen = rnd.sample(skus, counts[p["id"]])
            p["lines"] = []
            for sku in chosen:
                name, price, vat, _ = self.products[sku]
                qty = (
                    rnd.choice([1, 1, 1, 2, 2, 3, 4, 6, 12, 24])
                    if p["cust"].get("vat_number")
                    else rnd.choice([1, 1, 2, 2, 3, 4])
                )
                p["lines"].append({"sku": sku, "name": name, "qty": qty, "price": str(price), "vat": vat})
        self.orders = plans
        for p in plans:
            if p["reached"] in ("shipped", "invoiced", "closed"):
                for line in p["lines"]:
                    self.ship_lines.append((p["ship"], line["sku"], line["qty"]))
        # invoices are numbered in date order, gapless; so are credit notes
        issued = sorted((p for p in plans if "inv_at" in p), key=lambda p: (p["inv_at"], p["id"]))
        for n_inv, p in enumerate(issued, 1):
            p["inv_id"] = f"INV-{SITE}-{n_inv:04d}"
        credited = sorted((p for p in plans if p.get("credit_at")), key=lambda p: (p["credit_at"], p["id"]))
        for n_crn, p in enumerate(credited, 1):
            p["crn_id"] = f"CRN-{SITE}-{n_crn:04d}"
        self._fills = [lambda: [self._write_order(p) for p in plans]]
        for p in plans:
            self._order_books(p)

    def _reached(self, p: dict) -> str:
        """The state the order is in today (NOW), and which of its steps happened."""
        if p.get("cancel"):
            frm, at = p["cancel"]
            if frm == "inbox" and p["forward"] > NOW:
                return "open"
            return "cancelled" if at <= NOW else frm
        if p["forward"] > NOW:
            return "open"
        if p["ship"] > NOW:
            return "inbox"
        if p["invoice"] > NOW:
            return "shipped"
        p["inv_at"] = p["invoice"]
        if p["fate"] == "credit":
            if p["credit"] <= NOW:
                p["credit_at"] = p["credit"]
                return "closed"
            return "invoiced"
        if p["fate"] == "paid":
            p["paid"] = [t for t in p["payments"] if t <= NOW]
            return "closed" if len(p["paid"]) == len(p["payments"]) else "invoiced"
        return "invoiced"

    def _order_books(self, p: dict) -> None:
        """The ledger entries of one order's steps that happened (numbered later)."""
        if p["reached"] not in ("shipped", "invoiced", "closed"):
            return
        cost = sum((self.products[ln["sku"]][3] * ln["qty"] for ln in p["lines"]), Decimal("0"))
        wh = self.staff[WAREHOUSE[p["created"].day % 2]]
        p["ship_by"] = wh
        # the amount is the shipment's moves' value (``_values``, once the moves are in order)
        p["cogs_txn"] = self.txn(
            p["ship"],
            f"Cost of goods shipped for order {p['id']}",
            [("Expenses:COGS", cost), ("Assets:Inventory", -cost)],
            ref=p["id"],
            kind="cogs",
            by=wh,
        )
        for ln in p["lines"]:
            self.moves.append(
                (
                    p["ship"],
                    {
                        "id": None,
                        "date": p["ship"].date().isoformat(),
                        "sku": ln["sku"],
                        "qty": -ln["qty"],
                        "reason": "ship",
                        "unit_cost": str(self.products[ln["sku"]][3]),
                        "ref": p["id"],
                        "at": stamp(p["ship"]),
                        "by": wh,
                    },
                )
            )
        if "inv_at" not in p:
            return
        from officecli.office.books import invoices

        lines = [dict(ln, net=str((Decimal(ln["price"]) * ln["qty"]).quantize(C))) for ln in p["lines"]]
        net, vat_map, gross = invoices.totals(lines)
        p["inv_lines"], p["net"], p["vat_map"], p["gross"] = lines, net, vat_map, gross
        books = self.staff[BOOKS[p["created"].day % 2]]
        p["books_by"] = books
        postings = [("Assets:Receivable", gross), ("Income:Sales", -net)]
        vat = invoices.vat_total(vat_map)
        if vat:
            postings.append(("Liabilities:VAT", -vat))
        p["inv_txn"] = self.txn(
            p["inv_at"],
            f"Invoice {{inv}} for order {p['id']}",
            postings,
            ref="{inv}",
            kind="invoice",
            by=books,
        )
        p["inv_postings"] = postings
        p["pay_txns"] = []
        if p["fate"] == "paid":
            paid = p["paid"]
            amounts = (
                [gross]
                if len(p["payments"]) == 1
                else [(gross * Decimal(self.rnd.choice([30, 40, 50, 60])) / 100).quantize(C)]
            )
            if len(p["payments"]) == 2:
                amounts.append(gross - amounts[0])
            method = "cash" if self.rnd.random() < 0.15 else "bank"
            p["method"] = method
            for at, amount in zip(paid, amounts):
                acct = "Assets:Cash" if method == "cash" else "Assets:Bank"
                p["pay_txns"].append(
                    (
                        at,
                        amount,
                        self.txn(
                            at,
                            f"Payment of {{inv}} ({method})",
                            [(acct, amount), ("Assets:Receivable", -amount)],
                            ref="{inv}",
                            kind="payment",
                            by=books,
                        ),
                    )
                )
        if p.get("credit_at"):
            p["crn_txn"] = self.txn(
                p["credit_at"],
                "Credit note {crn} for invoice {inv}",
                [(a, -v) for a, v in postings],
                ref="{inv}",
                kind="credit",
                reverses="{invtxn}",
                document="{crn}",
                by=books,
            )

    def _write_order(self, p: dict) -> None:
        """The order, its invoice and credit note as files; fill the IDs into its entries."""
        from officecli.office import money

        inv = p.get("inv_id")
        for t in [p.get("inv_txn"), p.get("crn_txn")] + [x[2] for x in p.get("pay_txns", [])]:
            if t is None:
                continue
            for key in ("description", "ref", "document", "reverses"):
                if key in t:
                    t[key] = (
                        t[key]
                        .replace("{inv}", inv or "")
                        .replace("{crn}", p.get("crn_id", ""))
                        .replace("{invtxn}", p["inv_txn"]["id"] if p.get("inv_txn") else "")
                    )
        order = self.create(
            "order", {"id": p["id"], "customer": p["customer"], "lines": p["lines"]}, p["created"], p["by"]
        )
        rnd = self.rnd
        if p.get("cancel") and p["cancel"][0] == "open" and p["reached"] == "cancelled":
            at = p["cancel"][1]
            self.step(order, at, p["by"], "cancel", "open", "cancelled", rnd.choice(CANCEL))
            self.put("order", "cancelled", order, stamp(at))
            return
        if p["reached"] == "open":
            self.put("order", "open", order)
            return
        self.step(order, p["forward"], p["by"], "forward", "open", "inbox")
        if p.get("cancel"):
            if p["reached"] == "cancelled":
                at = p["cancel"][1]
                self.step(order, at, p["by"], "cancel", "inbox", "cancelled", rnd.choice(CANCEL))
                self.put("order", "cancelled", order, stamp(at))
            else:
                self.put("order", "inbox", order)
            return
        if p["reached"] == "inbox":
            self.put("order", "inbox", order)
            return
        self.step(
            order,
            p["ship"],
            p["ship_by"],
            "ship",
            "inbox",
            "shipped",
            f"{COURIERS[p['created'].day % len(COURIERS)]} {7300000000 + int(p['id'][-5:].lstrip('-') or 0)}",
        )
        if p["reached"] == "shipped":
            self.put("order", "shipped", order)
            return
        books = p["books_by"]
        self.step(order, p["inv_at"], books, "invoice", "shipped", "invoiced", inv, {"invoice": inv})
        cust = p["cust"]
        bill_to = {k: cust[k] for k in ("name", "address", "vat_number", "email") if cust.get(k)}
        invoice = self.create(
            "invoice",
            {
                "id": inv,
                "series": SITE,
                "order": p["id"],
                "customer": p["customer"],
                "bill_to": bill_to,
                "date": p["inv_at"].date().isoformat(),
                "due": (p["inv_at"].date() + timedelta(days=30)).isoformat(),
                "currency": "EUR",
                "lines": p["inv_lines"],
                "net": money.text(p["net"]),
                "vat": p["vat_map"],
                "gross": money.text(p["gross"]),
            },
            p["inv_at"],
            books,
            action="issue",
            note=f"for order {p['id']}",
        )
        inv_state = "open"
        owed = p["gross"]
        for at, amount, t in p["pay_txns"]:
            owed -= amount
            note = f"{money.fmt(amount, 'EUR')} by {p['method']} on {at.date().isoformat()} ({t['id']})"
            if owed == 0:
                self.step(invoice, at, books, "pay", "open", "paid", note + "; paid in full")
                inv_state = "paid"
                self.step(order, at, books, "close", "invoiced", "closed", f"invoice {inv} paid")
                self.put("order", "closed", order, stamp(at))
            else:
                self.step(
                    invoice,
                    at,
                    books,
                    "payment",
                    "open",
                    None,
                    note + f"; {money.fmt(owed, 'EUR')} still owed",
                )
        if p.get("crn_id"):
            at = p["credit_at"]
            crn = p["crn_id"]
            reason = rnd.choice(["εκδόθηκε με λάθος ΑΦΜ πελάτη", "ακύρωση συναλλαγής", "returned unopened"])
            note_rec = self.create(
                "credit_note",
                {
                    "id": crn,
                    "series": SITE,
                    "invoice": inv,
                    "order": p["id"],
                    "customer": p["customer"],
                    "date": at.date().isoformat(),
                    "reason": reason,
                    "currency": "EUR",
                    "lines": p["inv_lines"],
                    "net": money.text(p["net"]),
                    "vat": p["vat_map"],
                    "gross": money.text(p["gross"]),
                },
                at,
                books,
                state="issued",
                action="issue",
                note=f"credits invoice {inv}",
            )
            self.put("credit_note", "issued", note_rec)
            self.step(invoice, at, books, "credit", "open", "credited", f"{crn}: {reason}")
            inv_state = "credited"
            self.step(order, at, books, "close", "invoiced", "closed", f"invoice {inv} credited by {crn}")
            self.put("order", "closed", order, stamp(at))
        if p["reached"] == "invoiced":
            self.put("order", "invoiced", order)
        self.put("invoice", inv_state, invoice)

    def _stock(self) -> None:
        """Receipts that keep every SKU in stock: the moves asked for, less the shipments."""
        rnd = self.rnd
        receipts = max(len(self.products), self.n["moves"] - len(self.ship_lines))
        demand: dict[str, list[tuple[datetime, int]]] = {s: [] for s in self.products}
        for at, sku, qty in self.ship_lines:
            demand[sku].append((at, qty))
        total = sum(len(v) for v in demand.values()) or 1
        skus = list(self.products)
        share = {s: max(1, round(receipts * len(demand[s]) / total)) for s in skus}
        while sum(share.values()) > receipts:  # rounding: take back from the largest
            s = max(share, key=lambda k: share[k])
            share[s] -= 1
        while sum(share.values()) < receipts:
            share[skus[rnd.randrange(len(skus))]] += 1
        first = START.date() - timedelta(days=3)
        span = (NOW.date() - first).days
        for sku in skus:
            k = share[sku]
            days = [0] + [rnd.randint(1, span - 1) for _ in range(k - 1)]
            times = sorted(workday(rnd, first + timedelta(days=d), 8, 11) for d in days)
            ships = sorted(demand[sku])
            j = 0
            _, _, _, cost = self.products[sku]
            for i, at in enumerate(times):
                until = times[i + 1] if i + 1 < len(times) else None
                need = 0
                while j < len(ships) and (until is None or ships[j][0] < until):
                    need += ships[j][1]
                    j += 1
                qty = need + rnd.randint(5, 30)
                wh = self.staff[WAREHOUSE[i % 2]]
                value = (cost * qty).quantize(C)
                note = f"Δ.Α. {rnd.randint(100, 9999)}"
                data = {
                    "id": None,
                    "date": at.date().isoformat(),
                    "sku": sku,
                    "qty": qty,
                    "reason": "receive",
                    "unit_cost": str(cost),
                    "value": str(value),
                    "note": note,
                    "at": stamp(at),
                    "by": wh,
                }
                self.moves.append((at, data))
                # received without a purchase order: it waits in Liabilities:GRNI (goods
                # received, not invoiced) under the move's ID, as 'stock receive' posts it
                # (no supplier's bill is generated: GRNI holds what is not billed)
                self.txn(
                    at,
                    f"Stock received: {qty} x {sku}",
                    [("Assets:Inventory", value), ("Liabilities:GRNI", -value)],
                    ref=data,
                    kind="stock",
                    by=wh,
                )

    def _values(self) -> None:
        """Each move's ``value`` as office/back/stock.py computes it (per SKU, in time order: a
        receipt is qty x cost; a move out takes value on hand x qty / on hand, rounded
        half-up, or all that is left with the last pieces), and each shipment's COGS
        entry posts exactly its moves' value to Assets:Inventory."""
        from officecli.office import money

        by_sku: dict[str, list[dict]] = {}
        for at, data in self.moves:
            by_sku.setdefault(data["sku"], []).append((at.timestamp(), data["id"], data))
        shipped: dict[str, Decimal] = {}
        for rows in by_sku.values():
            have, value = 0, Decimal("0")
            for _, _, data in sorted(rows, key=lambda r: r[:2]):
                qty = data["qty"]
                if qty > 0:
                    v = Decimal(data["value"])
                elif -qty >= have:
                    v = -value
                else:
                    v = -money.q(value * -qty / have)
                if qty < 0:
                    data["value"] = money.text(v)
                    data["unit_cost"] = money.text(v / qty)
                    shipped[data["ref"]] = shipped.get(data["ref"], Decimal("0")) + v
                have += qty
                value += v
        for p in self.orders:
            if "cogs_txn" in p:
                cost = -shipped[p["id"]]
                p["cogs_txn"]["postings"] = [
                    {"account": "Expenses:COGS", "amount": money.text(cost)},
                    {"account": "Assets:Inventory", "amount": money.text(-cost)},
                ]

    def _complaints(self, span_days: int) -> None:
        rnd = self.rnd
        n = self.n["complaints"]
        shipped = sorted(
            (p for p in self.orders if p["reached"] in ("shipped", "invoiced", "closed")),
            key=lambda p: p["ship"],
        )
        ships = [p["ship"] for p in shipped]
        if not shipped or not n:
            return
        states = ["new", "inbox", "working", "waiting", "answered", "closed"]
        recent = max(len(states), n // 20)
        plans = []
        for j in range(n):
            if j < n - recent:
                p = rnd.choice(shipped)
                created = later(rnd, p["ship"], 24, 20 * 24)
                if created > NOW - timedelta(days=10):
                    created = workday(rnd, START.date() + timedelta(days=rnd.randint(30, span_days - 30)))
                    p = max(
                        (q for q in shipped[: bisect.bisect_right(ships, created)]),
                        key=lambda q: q["ship"],
                        default=shipped[0],
                    )
                target = "closed"
            else:
                created = later(rnd, NOW - timedelta(days=4), 0, 70)
                ok = [q for q in shipped if q["ship"] < created]
                p = rnd.choice(ok[-50:]) if ok else shipped[0]
                target = states[j % len(states)]
            plans.append((created, p, target))
        plans.sort(key=lambda x: x[0])
        from officecli.office.front import sla

        for i, (created, p, target) in enumerate(plans, 1):
            ident = f"CMP-{SITE}-{i:04d}"
            front = self.staff[SERVICE]
            hours = {"forward": 4, "first_response": 24, "resolution": 72}
            due = {
                t: sla.later(created, timedelta(hours=h)).isoformat(timespec="seconds")
                for t, h in hours.items()
            }
            rec = self.create(
                "complaint",
                {
                    "id": ident,
                    "customer": p["customer"],
                    "order": p["id"],
                    "channel": rnd.choice(["email", "phone", "shop"]),
                    "text": rnd.choice(COMPLAINTS),
                    "due": due,
                },
                created,
                front,
            )
            order = states.index(target)
            t = created
            gap = (NOW - created) / 8 if target != "closed" else None

            def nxt(lo, hi, gap=gap):
                nonlocal t
                t = (t + gap) if gap is not None else later(rnd, t, lo, hi)
                t = datetime(t.year, t.month, t.day, t.hour, t.minute, tzinfo=ATHENS) if gap else t
                return t

            state = "new"
            if order >= 1:
                self.step(rec, nxt(0.2, 3), front, "forward", "new", "inbox")
                state = "inbox"
            if order >= 2:
                h = HANDLERS[i % len(HANDLERS)]
                emp = self.staff[h]
                self.step(
                    rec,
                    nxt(1, 8),
                    self.staff[HANDLERS[0]],
                    "take",
                    "inbox",
                    "working",
                    f"assigned to {emp}",
                    {"assignee": STAFF[h][0], "assignee_id": emp.split()[0]},
                )
                state = "working"
            if target == "waiting" or (target in ("answered", "closed") and i % 4 == 0):
                self.step(
                    rec,
                    nxt(1, 24),
                    self.staff[HANDLERS[0]],
                    "wait",
                    "working",
                    "waiting",
                    "ζητήσαμε φωτογραφία",
                )
                state = "waiting"
                if target != "waiting":
                    self.step(rec, nxt(4, 72), self.staff[HANDLERS[0]], "resume", "waiting", "working")
                    state = "working"
            if order >= 4:
                self.step(
                    rec,
                    nxt(2, 48),
                    self.staff[HANDLERS[0]],
                    "resolve",
                    "working",
                    "answered",
                    None,
                    {"resolution": rnd.choice(RESOLUTIONS)},
                )
                state = "answered"
            if order >= 5:
                self.step(rec, nxt(1, 30), front, "close", "answered", "closed", "ο πελάτης ενημερώθηκε")
                state = "closed"
            self.put("complaint", state, rec, stamp(t))

    def _books(self, span_days: int) -> None:
        """Opening capital, monthly rent, payroll; small expenses to fill."""
        rnd = self.rnd
        books = self.staff[BOOKS[0]]
        opening = datetime(START.year, START.month, 1, 9, 0, tzinfo=ATHENS)
        self.txn(
            opening,
            "Μετοχικό κεφάλαιο (opening capital)",
            [("Assets:Bank", Decimal("150000")), ("Equity:Capital", Decimal("-150000"))],
        )
        self.txn(
            opening + timedelta(minutes=5),
            "Ταμείο: αρχικό υπόλοιπο (petty cash float)",
            [("Assets:Cash", Decimal("500")), ("Assets:Bank", Decimal("-500"))],
        )
        # costs in proportion to the sales, so the books look like a business at any size
        sales = sum((p["net"] for p in self.orders if "net" in p), Decimal("0"))
        months = (NOW.year - START.year) * 12 + NOW.month - START.month + 1
        monthly = sales / months
        # everyone on the same salary, employed every day of every month: the run's total
        salary = max(Decimal("100"), monthly * Decimal("0.30") / len(STAFF)).quantize(Decimal("1"))
        payroll = salary * len(STAFF)
        self._pay_records(salary)
        rent = max(Decimal("300"), monthly * Decimal("0.08")).quantize(Decimal("1"))
        y, m = START.year, START.month
        while (y, m) <= (NOW.year, NOW.month):
            first = datetime(y, m, 5, 9, 0, tzinfo=ATHENS)
            ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
            last_day = date(ny, nm, 1) - timedelta(days=1)
            if first <= NOW:
                self.txn(
                    first, f"Ενοίκιο {y}-{m:02d} (rent)", [("Expenses:Rent", rent), ("Assets:Bank", -rent)]
                )
            run = datetime(last_day.year, last_day.month, last_day.day, 18, 0, tzinfo=ATHENS)
            if run <= NOW:
                # 'payroll run' then 'payroll pay': each entry is named by the month's run
                # record (back/hr/payroll/YYYY-MM.yaml: txn, payment), written once numbered
                hr_by = self.staff[0]
                ran = self.txn(
                    run,
                    f"Payroll {y}-{m:02d} ({len(STAFF)} employees)",
                    [("Expenses:Salaries", payroll), ("Liabilities:Payroll", -payroll)],
                    kind="payroll",
                    by=hr_by,
                )
                paid = datetime(ny, nm, 1, 9, 30, tzinfo=ATHENS)
                pay_txn = None
                if paid <= NOW:
                    pay_txn = self.txn(
                        paid,
                        f"Payroll {y}-{m:02d} paid",
                        [("Liabilities:Payroll", payroll), ("Assets:Bank", -payroll)],
                        kind="payroll",
                        by=hr_by,
                    )
                self._fills.append(
                    lambda y=y, m=m, last_day=last_day, run=run, ran=ran, paid=paid, pay_txn=pay_txn, hr_by=hr_by: (
                        self._payroll_run(y, m, last_day, run, ran, salary, paid, pay_txn, hr_by)
                    )
                )
            y, m = ny, nm
        fill = max(0, self.n["transactions"] - len(self.txns))
        cum, total = [], 0
        for e in EXPENSES:
            total += e[5]
            cum.append(total)
        mid = sum(e[5] * (e[3] + e[4]) / 2 for e in EXPENSES) / total
        scale = min(10.0, max(0.02, float(sales) * 0.15 / (fill * mid))) if fill else 1.0
        for _ in range(fill):
            desc, debit, credit, lo, hi, _w = rnd.choices(EXPENSES, cum_weights=cum)[0]
            at = workday(rnd, START.date() + timedelta(days=rnd.randint(0, span_days - 1)))
            cents = max(1, int(rnd.randint(lo * 100, hi * 100) * scale))
            amount = Decimal(cents) / 100
            self.txn(at, desc, [(debit, amount), (credit, -amount)], by=books)

    def _pay_records(self, salary: Decimal) -> None:
        """back/hr/pay/PAY-...: each employee's monthly salary (what payroll runs read)."""
        hired = START - timedelta(days=30)
        for i in range(len(STAFF)):
            rec = self.create(
                "pay",
                {
                    "id": f"PAY-{SITE}-{i + 1:04d}",
                    "employee": f"EMP-{SITE}-{i + 1:04d}",
                    "salary": str(salary.quantize(C)),
                },
                hired,
                "setup",
                state="current",
            )
            self.put("pay", "current", rec)

    def _payroll_run(
        self,
        y: int,
        m: int,
        last_day: date,
        run: datetime,
        ran: dict,
        salary: Decimal,
        paid: datetime,
        pay_txn: dict | None,
        by: str,
    ) -> None:
        """The month's run record as 'payroll run' writes it, and 'payroll pay' if it was paid."""
        from officecli.office import money

        days = last_day.day
        lines = [
            {
                "employee": f"EMP-{SITE}-{i + 1:04d}",
                "name": name,
                "office": office,
                "department": dept,
                "salary": money.text(salary),
                "days": days,
                "month_days": days,
                "amount": money.text(salary),
            }
            for i, (name, office, dept, _title) in enumerate(STAFF)
        ]
        total = money.text(salary * len(STAFF))
        rec = self.create(
            "payroll",
            {
                "month": f"{y}-{m:02d}",
                "date": last_day.isoformat(),
                "lines": lines,
                "total": total,
                "txn": ran["id"],
            },
            run,
            by,
            action="run",
            note=f"{len(STAFF)} employees, {total} EUR ({ran['id']})",
        )
        if pay_txn is not None:
            self.step(
                rec,
                paid,
                by,
                "pay",
                "run",
                None,
                f"{total} EUR from Assets:Bank ({pay_txn['id']})",
                {"paid": paid.date().isoformat(), "payment": pay_txn["id"]},
            )
        self.put("payroll", "run", rec)

    # -- writing -------------------------------------------------------------------
    def build(self, jobs: int = 2, chunk: int = 20000, close: bool = True) -> dict:
        """Plan and write the company. Files are written while planning goes on, ``chunk``
        records at a time (forked writers dump a chunk while the plan goes on), so the
        dumped records and their text are never all in memory: what stays is the plan
        (orders, moves, entries), needed until the entries are numbered by date."""
        from officecli.office.sites.company import init_office

        init_office(self.root, name="Κεραμικά Αιγαίου Α.Ε.", site=SITE)
        self.sink = Sink(self.root, jobs, chunk)
        try:
            self.plan()
            self.sink.send(self.files)
            self.files = []
        finally:
            self.sink.close()
        info: dict = {"files": sum(self.counts.values()), "by_folder": dict(sorted(self.counts.items()))}
        if close:  # (after every file is written: the plan's lists are emptied as they are)
            info["closed"] = close_books(self.root)
        return info


def closed_month() -> str:
    """The last month a real company would have closed by NOW: all but the last two."""
    y, m = NOW.year, NOW.month - 2
    if m < 1:
        y, m = y - 1, m + 12
    return f"{y:04d}-{m:02d}"


def close_books(root: Path) -> str:
    """``ledger close`` of all but the last two months (office/books/closing.py: the same
    change the command makes, office.yaml's line and a seal in every folder of the closed
    period, docs/SEALS.md), with the clock at NOW."""
    from officecli.office.books import closing
    from officecli.office.core import Office

    was = os.environ.get("OFFICECLI_NOW")
    os.environ["OFFICECLI_NOW"] = NOW_TEXT
    try:
        office = Office(Path(root), "bench")
        last, _ = closing.close(office, closed_month())
        office.close()
    finally:
        if was is None:
            os.environ.pop("OFFICECLI_NOW", None)
        else:
            os.environ["OFFICECLI_NOW"] = was
    return last.isoformat()


class Sink:
    """Writes chunks of planned files: each chunk by ``jobs`` forked writers (they share the
    chunk, no pickling) while the parent plans the next; one chunk in flight at a time."""

    def __init__(self, root: Path, jobs: int, chunk: int):
        self.root = root
        self.jobs = max(1, jobs)
        self.chunk = max(1, chunk)
        self.pids: list[int] = []
        self.folders: set[str] = set()

    def send(self, files: list[tuple[str, dict]]) -> None:
        self.wait()
        for folder in sorted({p.rpartition("/")[0] for p, _ in files} - self.folders):
            os.makedirs(self.root / folder, exist_ok=True)
            if _private(folder):
                os.chmod(self.root / folder, 0o700)
            self.folders.add(folder)
        if self.jobs == 1:
            _write_part(self.root, files, 0, 1)
            return
        for w in range(self.jobs):
            pid = os.fork()
            if pid == 0:  # the worker: its share, then out
                code = 0
                try:
                    _write_part(self.root, files, w, self.jobs)
                except BaseException:  # pragma: no cover - reported by the parent
                    import traceback

                    traceback.print_exc()
                    code = 1
                finally:
                    os._exit(code)
            self.pids.append(pid)

    def wait(self) -> None:
        failed = [pid for pid in self.pids if os.waitpid(pid, 0)[1] != 0]
        self.pids = []
        if failed:
            raise SystemExit(f"bench/gen: {len(failed)} writer(s) failed")

    def close(self) -> None:
        self.wait()


def _write_part(root: Path, files, part: int, parts: int) -> None:
    from officecli.store import yamlio

    dumps = yamlio.dumps
    base = str(root)
    for path, rec in files[part::parts]:
        with open(
            os.path.join(base, path),
            "w",
            encoding="utf-8",
            opener=(lambda p, flags: os.open(p, flags, 0o600)) if _private(path) else None,
        ) as f:
            f.write(dumps(rec))


def _private(rel: str) -> bool:
    """Pay is private to HR: back/hr is mode 0700 and its files 0600, as officecli writes them."""
    return rel == PRIVATE or rel.startswith(PRIVATE + "/")
