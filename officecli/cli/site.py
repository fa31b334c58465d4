"""officecli site: this clone's site code (shown, set)."""

from __future__ import annotations

import click

from .app import App, pass_app


@click.group(invoke_without_command=True)
@click.pass_context
@pass_app
def site(app: App, ctx):
    """Show this clone's site code and where it comes from; set it with 'site set'.

    Every clone of the records (a shop, a warehouse, a laptop) has its own site
    code, so its IDs (ORD-B-0001) never collide with another site's. The code
    is kept in the clone's git config (officecli.site), or in .officecli/site
    where the folder is not in git; $OFFICECLI_SITE wins for one command. A git
    clone with a remote and no site code does not write.

    \b
    Examples:
      officecli site
      officecli site set B --name "Thessaloniki warehouse"
      officecli --format json site
    """
    if ctx.invoked_subcommand is not None:
        return
    from officecli.office import site as sites

    office = app.office
    info = office.site_info()
    table = sites.registered(office.config.raw)
    row = {
        "id": info.code or "",
        "state": "set" if info.code else "not set",
        "name": table.get(info.code or "", ""),
        "source": info.source,
    }
    if app.fmt != "table":
        app.rows([row])
        return
    if info.code:
        name = f" ({row['name']})" if row["name"] else ""
        click.echo(f"{info.code}{name}  from {info.source}")
    else:
        click.echo(f"not set: {info.source}; set it with 'officecli site set CODE --name NAME'")
    others = {c: n for c, n in table.items() if c != info.code}
    if others:
        click.echo("other sites: " + ", ".join(f"{c} ({n})" if n else c for c, n in sorted(others.items())))


@site.command("set")
@click.argument("code")
@click.option(
    "--name",
    help="The site's name in office.yaml's sites: table "
    "(default: the name it has there, else this machine's name).",
)
@click.option(
    "--reuse",
    is_flag=True,
    help="Take a code another clone registered: only when "
    "this clone replaces that site's lost one (two clones with one code mint the same IDs).",
)
@pass_app
def set_(app: App, code, name, reuse):
    """Set this clone's site code and register it in office.yaml's sites: table.

    Stored in the clone's git config (officecli.site), or in .officecli/site
    where the folder is not in git. A code another site registered is refused.
    In a git clone it also sets git up for merging records: no directory
    rename guessing (merge.directoryRenames=false), the records merge driver
    in git config, and .gitattributes naming it for *.yaml.

    \b
    Examples:
      git clone ssh://server/records.git && cd records
      officecli site set B --name "Thessaloniki warehouse"
      officecli site
    """
    from officecli.office.sites import codes

    office = app.office
    where, said = codes.set_site(office, code, name, reuse)
    code = office.site_info().code
    app.say(f"this clone is site {code}, kept in {where}")
    for line in said:
        app.say(f"set up for records: {line}")
