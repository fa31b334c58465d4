"""officecli hr: keep HR's private records (pay, payroll, leave) out of the company repository."""

from __future__ import annotations

import click

from .app import App, pass_app
from .options import format_option


@click.group()
def hr():
    """Keep pay private: back/hr out of the company repository, or in one of its own.

    An employee's public part (name, office, department, title, dates) is in
    back/staff/, with the company's other records: every site needs it to
    name who acted. Pay (back/hr/pay/), payroll runs (back/hr/payroll/) and
    leave (back/hr/leave/) are private to HR: back/hr is mode 0700, its
    files 0600, and the records folder's .gitignore lists back/hr/, so the
    company repository that every site clones never holds them.

    \b
    Examples:
      officecli hr migrate                    # an older tree: split employee files
      officecli hr git-init --remote git@hr.example.com:hr/records.git
      officecli doctor                        # warns if HR files are (or were) in git
    """


@hr.command("migrate")
@format_option
@pass_app
def migrate(app: App):
    """Split old-style employee files into a public part and private pay.

    Trees made before the split keep each employee, salary inside, in
    back/hr/employees/active|former/EMP-….yaml ('officecli doctor' names
    them). This moves each public part to back/staff/active|former/ (the
    same file, its history and comments kept, the salary line taken out, a
    'split' history entry added), writes the salary to back/hr/pay/PAY-….yaml
    (PAY-A-0003 for EMP-A-0003), and adds back/hr/ to the records folder's
    .gitignore: all in one change, all or nothing. Nothing to migrate: it
    says so and changes nothing.

    It then says what it cannot take back: ledger entries posted before
    (one per employee, naming them) stay, since a posted entry is never
    edited; HR files the company repository already holds stay in it until
    purged ('officecli doctor' says how).

    \b
    Examples:
      officecli hr migrate
      officecli doctor
    """
    from officecli.office.people import hr_split

    done = hr_split.migrate(app.office)
    if not done:
        app.say("nothing to migrate: employees are already split into back/staff/ and back/hr/pay/")
    for line in done:
        app.say(line)
    for line in hr_split.leftovers(app.office) if done else []:
        app.warn(line)
    if app.fmt not in ("table",):
        app.rows(
            [
                {"id": line.split()[0], "state": "split", "change": line}
                for line in done
                if line.startswith("EMP-")
            ]
        )


@hr.command("git-init")
@click.option(
    "--remote",
    metavar="URL",
    help="The HR repository's own remote (set as origin); give it a URL only HR can reach.",
)
@pass_app
def git_init(app: App, remote):
    """Make back/hr a git repository of its own, with its own remote.

    back/hr becomes a repository (the folder and its .git mode 0700) with a
    first commit of the private records already there, and back/hr/.gitignore
    (officecli's temp files stay out). The records folder's .gitignore gets
    back/hr/ if it lacks it, so the company repository never shows or commits
    anything under back/hr. Run again with --remote to set or change the
    remote. When the remote has history (another site made it), that history
    is taken, on the remote's own branch (main or master), and this site's
    files are committed on top of it; run it again to mend a site whose HR
    history was made apart. Nothing is pushed: sync carries it.

    \b
    Examples:
      officecli hr git-init
      officecli hr git-init --remote git@hr.example.com:keramika/hr.git
      git -C back/hr push -u origin HEAD
    """
    from officecli.office.people import hr_repo

    done = hr_repo.git_init(app.office, remote)
    for line in done or ["back/hr/: already a repository of its own; nothing to do"]:
        click.echo(line)
