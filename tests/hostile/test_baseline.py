from tests.hostile.harness import make_case, run_all


def test_clean_sample_is_safe(tmp_path):
    root, canary = make_case(tmp_path)
    res = run_all(root, canary)
    assert all(r.returncode == 0 for r in res.values()), {k: r.stderr for k, r in res.items() if r.returncode}
