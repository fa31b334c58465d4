"""Fixtures shared by the git suites: two real sites of one company (a bare remote and
two clones, products stocked, a customer and an employee), made once per module and
copied for each test."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from tests.git.sites import company, stocked

    where = tmp_path_factory.mktemp("company")
    stocked(company(where))
    return where


@pytest.fixture
def sites(template, tmp_path):
    from tests.git.sites import copy_company

    return copy_company(template, tmp_path)
