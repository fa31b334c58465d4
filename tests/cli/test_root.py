"""Where the records are: --root, $OFFICECLI_ROOT, then upward from the working folder."""

from click.testing import CliRunner

from officecli.cli import cli


def doctor(*args, env=None):
    return CliRunner().invoke(cli, [*args, "doctor"], env=env, catch_exceptions=False)


def test_root_option_env_and_walk_up(office, tmp_path, monkeypatch):
    assert doctor("--root", str(office)).exit_code == 0
    assert doctor(env={"OFFICECLI_ROOT": str(office)}).exit_code == 0
    deep = office / "front" / "orders" / "open"
    monkeypatch.chdir(deep)
    (office / "stray.txt").write_text("x")  # a problem, so doctor names the root it found
    res = doctor()
    assert res.exit_code == 1 and str(office) in res.stderr


def test_a_records_subfolder_is_found_from_the_repo_top(tmp_path, monkeypatch, clock):
    from officecli.office.sites.company import init_office

    repo = tmp_path / "repo"
    init_office(repo / "records", "X")
    monkeypatch.chdir(repo)
    assert doctor().exit_code == 0
    assert doctor("--root", str(repo)).exit_code == 0


def test_no_root_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = doctor()
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "officecli init" in res.stderr
    res = doctor("--root", str(tmp_path / "nowhere"))
    assert res.exit_code == 1 and "--root" in res.stderr and "officecli init" in res.stderr
