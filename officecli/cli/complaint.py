"""officecli complaint: from the customer's words to the back office and back."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import (
    dry_run_option,
    each_id,
    employee_complete,
    format_option,
    id_complete,
    listing,
    note_option,
    only_option,
    search_option,
    stdin_text,
)

STATES = ("new", "inbox", "working", "waiting", "answered", "closed")

SLA_HELP = """\b
The SLA clock (hours from office.yaml sla_hours, stamped into the
complaint's `due` when it is received; calendar hours, read from the
history, so it never drifts):
  forward         the front office forwards it (counts while in new)
  first_response  a back-office employee takes it ('complaint take'):
                  the first time someone owns the problem; counts from
                  intake until the first take
  resolution      the back office answers it ('complaint resolve'):
                  counts in new, inbox and working; PAUSES while waiting
                  on the customer; stops while answered or closed; a
                  reopened complaint continues the same clock"""


def _id_arg():
    return each_id("complaint", "ident")  # several IDs, or - for IDs on stdin


def _step(app: App, fn, ident, *args, verb: str):
    """Run one step of the journey and print 'ID  verb: old/ -> new/' (the ID alone
    with --format ids)."""
    before = app.office.get("complaint", ident)
    rec = fn(app.office, before.id, *args)
    rec = rec[0] if isinstance(rec, tuple) else rec
    app.created(rec.id, f"{verb}: {before.folder}/ -> {rec.folder}/")
    return rec


@click.group()
def complaint():
    """Take complaints at the front office, handle them at the back office, answer them.

    A complaint travels: new (front) -> inbox, working, waiting (back) ->
    answered (front, to tell the customer) -> closed (archive); reopen sends
    it back to the back office's inbox.

    \b
    Examples:
      officecli complaint add --customer 1 --order 3 --channel phone "Η κούπα έφτασε σπασμένη"
      officecli complaint forward 1
      officecli complaint take 1 --by "Δήμητρα Σταύρου"
      officecli complaint resolve 1 --resolution "Στάλθηκε νέα κούπα" --improvement "Καλύτερη συσκευασία"
      officecli complaint list --overdue
    """


@complaint.command("add")
@click.option(
    "--customer",
    required=True,
    metavar="ID",
    shell_complete=id_complete("customer"),
    help="The customer who complains (ID or unique suffix).",
)
@click.option(
    "--order",
    metavar="ID",
    shell_complete=id_complete("order"),
    help="The order it is about: must be that customer's (any state, archived too).",
)
@click.option("--channel", type=click.Choice(("phone", "email", "shop")), help="How the complaint came in.")
@click.argument("text", nargs=-1, callback=stdin_text)
@format_option
@pass_app
def add(app: App, customer, order, channel, text):
    """Receive a complaint into front/complaints/new; print its ID.

    TEXT is what the customer said (the words may be given unquoted). The
    deadlines of the SLA clock are stamped into the complaint's `due` from
    office.yaml sla_hours: forward, first_response and resolution.

    \b
    Examples:
      officecli complaint add --customer CUS-A-0001 "Το βάζο έχει ράγισμα"
      officecli complaint add --customer 1 --order 7 --channel email Λάθος χρώμα
    """
    from officecli.office.front import complaints, sla

    rec = complaints.add(app.office, customer, " ".join(text), order=order, channel=channel)
    due = sla.parse((rec.get("due") or {}).get("forward"))
    what = f"received from {rec.get('customer')}"
    if due:
        what += f"; forward to the back office by {sla.local(due, app.office.tz)}"
    app.created(rec.id, what)


@complaint.command("forward")
@_id_arg()
@note_option
@format_option
@pass_app
def forward(app: App, ident, note):
    """Forward a new complaint from the front office to the back office's inbox.

    \b
    Examples:
      officecli complaint forward 1
      officecli complaint forward CMP-A-0001 --note "Πελάτης πολύ ενοχλημένος"
    """
    from officecli.office.front import complaints

    _step(app, complaints.forward, ident, note, verb="forwarded")


@complaint.command("take")
@_id_arg()
@click.option(
    "--by",
    metavar="EMPLOYEE",
    help="The back-office employee who takes it (ID, "
    "suffix or exact name); default: the acting user, who must be an employee when "
    "given with --user ($OFFICECLI_USER or the login name that is none, a bot, is "
    "recorded as given).",
)
@format_option
@pass_app
def take(app: App, ident, by):
    """Take a complaint from the back office's inbox to work on it (assignee recorded).

    The take is the complaint's first response in the SLA: from then on a
    back-office employee owns it. The assignee is recorded by the employee's
    name and ID (fields assignee, assignee_id). A front-office employee
    cannot take a complaint.

    \b
    Examples:
      officecli complaint take 1 --by EMP-A-0004
      officecli --user "Δήμητρα Σταύρου" complaint take 1
    """
    from officecli.office.front import complaints

    before = app.office.get("complaint", ident)
    rec = complaints.take(app.office, before.id, by)
    who = " ".join(str(x) for x in (rec.get("assignee_id"), rec.get("assignee")) if x)
    app.created(rec.id, f"taken by {who}: {before.folder}/ -> {rec.folder}/")


@complaint.command("assign")
@click.argument("ident", metavar="ID", shell_complete=id_complete("complaint", ("working", "waiting")))
@click.option(
    "--to",
    "to",
    required=True,
    metavar="EMPLOYEE",
    shell_complete=employee_complete,
    help="The back-office employee who takes it over (ID, suffix or exact name).",
)
@note_option(help="Why (for the history entry).")
@format_option
@pass_app
def assign(app: App, ident, to, note):
    """Give a taken complaint (working or waiting) to another back-office employee.

    The complaint stays where it is; the assignee changes, with one history
    entry 'assign' saying who had it before.

    \b
    Examples:
      officecli complaint assign 5 --to "Δήμητρα Σταύρου"
      officecli complaint assign CMP-A-0005 --to EMP-A-0004 --note "άδεια"
    """
    from officecli.office.front import complaints

    rec = complaints.assign(app.office, ident, to, note)
    app.created(rec.id, f"assigned to {rec.get('assignee_id')} {rec.get('assignee')}: {rec.path}")


@complaint.command("wait")
@_id_arg()
@note_option(required=True, help="What we are waiting for from the customer.")
@format_option
@pass_app
def wait(app: App, ident, note):
    """Wait on the customer: working -> waiting; the resolution clock pauses.

    \b
    Examples:
      officecli complaint wait 1 --note "Ζητήσαμε φωτογραφία της ζημιάς"
    """
    from officecli.office.front import complaints

    _step(app, complaints.wait, ident, note, verb="waiting on the customer")


@complaint.command("resume")
@_id_arg()
@note_option
@format_option
@pass_app
def resume(app: App, ident, note):
    """Resume a complaint after the customer answered: waiting -> working; the clock runs again.

    \b
    Examples:
      officecli complaint resume 1 --note "Ήρθε η φωτογραφία"
    """
    from officecli.office.front import complaints

    _step(app, complaints.resume, ident, note, verb="resumed")


@complaint.command("resolve")
@_id_arg()
@click.option(
    "--resolution",
    required=True,
    callback=stdin_text,
    help="What the back office did or decided, for the front office to tell the customer.",
)
@click.option(
    "--improvement",
    metavar="TEXT|IMP-ID",
    help="Open a product improvement with this "
    "title, or link an existing one by its ID (IMP-A-0003; open, accepted or done).",
)
@click.option("--sku", help="The product a NEW improvement is about.")
@click.option(
    "--return",
    "return_ref",
    metavar="RMA",
    shell_complete=id_complete("return"),
    help="The customer's return (RMA-…) that settles it: linked both ways.",
)
@format_option
@pass_app
def resolve(app: App, ident, resolution, improvement, sku, return_ref):
    """Answer a complaint: working -> front/complaints/answered, to tell the customer.

    With --improvement the complaint also leads to a product improvement:
    a new one (TEXT is its title) or an existing one (its ID; many
    complaints can lead to one improvement).

    \b
    Examples:
      officecli complaint resolve 1 --resolution "Στείλαμε νέα κούπα"
      officecli complaint resolve 2 --resolution "Αντικατάσταση" --improvement "Διπλό κουτί" --sku MUG-AEG
      officecli complaint resolve 3 --resolution "Αντικατάσταση" --improvement IMP-A-0001
      officecli complaint resolve 4 --resolution "Πίστωση για τα 3 πιάτα" --return RMA-A-0001
    """
    from officecli.office.front import complaints

    before = app.office.get("complaint", ident)
    rec, imp, opened = complaints.resolve(app.office, before.id, resolution, improvement, sku, return_ref)
    app.created(rec.id, f"answered: {before.folder}/ -> {rec.folder}/")
    if imp is not None:
        app.say(f"improvement {imp.id} {'opened' if opened else 'linked'}: {imp.get('title')} ({imp.state})")


@complaint.command("close")
@_id_arg()
@note_option
@format_option
@pass_app
def close(app: App, ident, note):
    """Close an answered complaint (the customer was told): -> archive/complaints/closed/YYYY.

    \b
    Examples:
      officecli complaint close 1 --note "Η πελάτισσα ευχαρίστησε"
    """
    from officecli.office.front import complaints

    _step(app, complaints.close, ident, note, verb="closed")


@complaint.command("reopen")
@_id_arg()
@note_option(required=True, help="Why the customer is not satisfied.")
@format_option
@pass_app
def reopen(app: App, ident, note):
    """Reopen an answered or closed complaint: back to the back office's inbox.

    The resolution clock continues where it stopped (the time used before counts).

    \b
    Examples:
      officecli complaint reopen 1 --note "Και η δεύτερη κούπα ήρθε σπασμένη"
    """
    from officecli.office.front import complaints

    _step(app, complaints.reopen, ident, note, verb="reopened")


def _row(app: App, rec, found) -> dict:
    row = rec.as_row()
    row["path"] = rec.path
    row["office"] = rec.folder.split("/")[0]
    from officecli.office.front import sla

    row["sla_status"] = sla.summary(found)
    row["sla"] = {t: c.as_dict() for t, c in found.items()}
    return row


@complaint.command("list")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(STATES),
    help="Only these states (repeatable). Default: every state but closed.",
)
@only_option("customer", "complaints")
@click.option(
    "--assignee",
    metavar="EMPLOYEE",
    help="Only complaints taken by this employee (ID, number or name) or by this name as recorded.",
)
@click.option(
    "--overdue",
    is_flag=True,
    help="Only complaints past an SLA deadline that is still running or paused (not met yet).",
)
@listing("complaint", all_dest="everything")
@search_option
@format_option
@pass_app
def list_(app: App, states, everything, customer, assignee, overdue, search):
    """List complaints with where they are, who has them and their SLA status.

    The sla column shows the most urgent target: time left, or how long
    overdue (time waiting on the customer excluded).

    \b
    Examples:
      officecli complaint list
      officecli complaint list --state working --state waiting
      officecli complaint list --overdue --format json
      officecli complaint list --all --customer 4
      officecli complaint list --assignee "Δήμητρα Σταύρου" --state working
      officecli complaint list --all --search "ραγισμένη κούπα"
    """
    from officecli.office.front import complaints
    from officecli.office.front.search import narrow

    if not states:
        states = STATES if everything else STATES[:-1]
    rows = []
    listed = complaints.listing(app.office, states, customer, overdue, assignee)
    kept = {r.id for r in narrow(app.office, [r for r, _ in listed], search)}
    for rec, found in (pair for pair in listed if pair[0].id in kept):
        row = _row(app, rec, found)
        rows.append(row)  # (the table is cut to the terminal's width: officecli/terminal.py)
    app.rows(
        rows,
        columns=[
            ("id", "id"),
            ("state", "state"),
            ("office", "office"),
            ("customer", "customer"),
            ("order", "order"),
            ("assignee", "assignee"),
            ("sla_status", "sla"),
            ("text", "text"),
        ],
    )


@complaint.command("show")
@_id_arg()
@format_option
@pass_app
def show(app: App, ident):
    """Show a complaint: its fields, SLA status per target and its history.

    \b
    Examples:
      officecli complaint show 1
      officecli complaint show CMP-A-0001 --format json
    """
    from officecli.office.front import complaints

    office = app.office
    rec = office.get("complaint", ident)
    found = complaints.clocks(office, rec)
    row = _row(app, rec, found)
    if app.fmt != "table":
        app.one(row)
        return
    cust = office.find_any(rec.get("customer") or "")
    if cust is not None:
        row["customer"] = f"{cust.id} {cust.get('name', '')}".strip()
    if rec.get("assignee_id"):
        row["assignee"] = f"{rec.get('assignee_id')} {rec.get('assignee')}"
    imp = office.find_any(rec.get("improvement") or "")
    if imp is not None:
        row["improvement"] = f"{imp.id} ({imp.state}) {imp.get('title', '')}"
    app.one(
        row,
        [
            ("id", "id"),
            ("state", "state"),
            ("path", "file"),
            ("customer", "customer"),
            ("order", "order"),
            ("channel", "channel"),
            ("text", "text"),
            ("assignee", "assignee"),
            ("resolution", "resolution"),
            ("improvement", "improvement"),
            ("return", "return"),
            ("created", "received"),
        ],
    )
    if found:
        click.echo("SLA (calendar hours; waiting on the customer excluded):")
        for target, clock in found.items():
            click.echo(f"  {target:<15} {clock.text(office.tz)}")
    history_lines(office, rec.get("history"))


def history_lines(office, history) -> None:
    """Print a record's history, one line per entry (table format)."""
    from officecli.office.front import sla

    click.echo("History:")
    for entry in history or []:
        if not isinstance(entry, dict):
            continue
        at = sla.parse(entry.get("at"))
        line = (
            f"  {sla.local(at, office.tz) if at else entry.get('at')}  {entry.get('by', '')}"
            f"  {entry.get('action', '')}"
        )
        if entry.get("to"):
            line += f"  {entry['from'] + ' ' if entry.get('from') else ''}-> {entry['to']}"
        if entry.get("note"):
            line += f"  ({entry['note']})"
        click.echo(line)


@complaint.command("escalate")
@dry_run_option
@format_option
@pass_app
def escalate(app: App, dry_run):
    """Forward complaints left too long in new and mark SLA breaches (run it from cron).

    One transaction. A complaint left in front/complaints/new past its
    forwarding deadline is forwarded to back/complaints/inbox (history
    action 'auto-forward', by 'officecli escalate'). A complaint whose
    first_response or resolution deadline has passed while it is still open
    (new, inbox, working or waiting) gets ONE history entry for that breach
    ('overdue-first-response', 'overdue-resolution'), never two. Prints one
    line per thing done and nothing at all when there was nothing to do, so
    a second run in a row is silent and changes nothing.

    \b
    Examples:
      officecli complaint escalate --dry-run
      officecli complaint escalate
      # crontab: every hour
      0 * * * *  cd /srv/office && officecli complaint escalate
    """
    from officecli.office.front import complaints

    done = complaints.escalate(app.office, dry_run=dry_run)
    if app.fmt == "table":
        for item in done:
            would = "would " if dry_run else ""
            click.echo(f"{item['id']}: {would}{item['action']}: {item['note']}")
    else:
        app.rows(done, columns=[("id", "id"), ("state", "state"), ("action", "action"), ("note", "note")])


def _with_sla_help(cmd) -> None:
    """Put the SLA clock's definition into a command's help, before its examples."""
    import inspect

    text = inspect.cleandoc(cmd.help or "")
    head, sep, examples = text.partition("\b\nExamples:")
    cmd.help = f"{head.rstrip()}\n\n{SLA_HELP}\n\n{sep}{examples}" if sep else f"{text}\n\n{SLA_HELP}"


for _cmd in (complaint, complaint.commands["take"], complaint.commands["list"], complaint.commands["show"]):
    _with_sla_help(_cmd)
