"""Shared fixtures: databases built from our own fixtures and the demo, and the real-files folder."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

from upr import db

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = ROOT.parent / "shared" / "fixtures" / "real"


def fixture_builder(name: str):
    """A fixture-builder script of tests/fixtures, loaded as a module (the folder is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def real_file(*parts: str) -> Path:
    """A file of ../shared/fixtures/real, or skip the test when that folder is absent."""
    path = REAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real fixture not available: {path}")
    return path


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """A fresh, migrated, empty in-memory database."""
    connection = db.connect(":memory:")
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding the demo, built once per test session (copy it before writing)."""
    from etl.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    connection = db.connect(path)
    build_demo(connection)
    connection.close()
    return path


@pytest.fixture(scope="session")
def demo_con(demo_file: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the demo database (shared by the session: do not write)."""
    connection = duckdb.connect(str(demo_file), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def demo_copy(demo_file: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the demo database file."""
    target = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_file, target)
    return target


@pytest.fixture
def app_db(demo_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the app at a private demo database (for AppTest), with its own file store and its own
    temporary folder (the uploads a test previews and never confirms stay out of /tmp). The
    search index's check at the app's start runs at once (a server waits for its first visitors)."""
    from ui import search_index

    monkeypatch.setattr(search_index, "START_CHECK_DELAY_S", 0.0)
    monkeypatch.setenv("UPR_DB", str(demo_copy))
    monkeypatch.setenv("UPR_STORE", str(tmp_path / "store"))
    (tmp_path / "app_tmp").mkdir(exist_ok=True)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "app_tmp"))
    return demo_copy
