"""officecli init: make a new office."""

from __future__ import annotations

import click

from .app import App, pass_app


@click.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--name", help="The company's name (default: the folder's name).")
@click.option("--currency", default="EUR", show_default=True, help="ISO 4217 currency code.")
@click.option(
    "--site",
    default="A",
    show_default=True,
    help="This clone's site code: IDs are PREFIX-SITE-NUMBER, so clones never collide.",
)
@click.option(
    "--site-name",
    metavar="NAME",
    help="The site's name in office.yaml's sites: table (default: this machine's name).",
)
@pass_app
def init(app: App, path, name, currency, site, site_name):
    """Make a new office: the folder tree, office.yaml and a .gitignore.

    Refuses to touch a folder that already holds an office. office.yaml gets
    a default chart of accounts, Greek VAT rates (24, 13, 6), SLA hours and
    payment terms: edit them freely. The site code is this clone's own
    setting (see 'officecli site'); office.yaml's sites: table registers it.

    Inside a git work tree the office is made for git: git.autocommit on, the
    clone set up for merging records (merge.directoryRenames off, the records
    merge driver in git config and .gitattributes), the site code in the
    clone's git config, and the new files committed.

    \b
    Examples:
      officecli init shop --name "Κεραμικά Αιγαίου" --site A
      git init shop && officecli init shop --site A --site-name "Athens shop"
      officecli --root shop doctor
    """
    from officecli.office.sites.codes import default_name
    from officecli.office.sites.company import init_office

    if not path.strip():
        from officecli.store.errors import UserError

        raise UserError(f"PATH {path!r}: empty (leave it out to make the office here)")
    made = init_office(path, name, currency.upper(), site, site_name or default_name())
    app.say(f"made an office in {made}/ (settings in {made}/office.yaml, site {site})")
