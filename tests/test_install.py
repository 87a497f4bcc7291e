"""The installed entry point: a wheel in a fresh virtual environment finds its bundled facts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the migfacts wheel; its dependencies come from this one."""
    root = tmp_path_factory.mktemp("install")
    dist = root / "dist"
    # Offline and quick: hatchling is a test dependency, so no build environment is fetched.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(REPO)],
        check=True, capture_output=True,
    )  # fmt: skip
    [wheel] = dist.glob("migfacts-*.whl")
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    # typer, rich and pydantic: borrowed from the running environment through a .pth line,
    # which appends after the venv's own site-packages, so the wheel's migfacts wins.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env_dir


def run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MIGFACTS_FACTS"}
    return subprocess.run([str(env_dir / "bin" / "migfacts"), *args], capture_output=True,
                          text=True, cwd=cwd, env=env)  # fmt: skip


def test_the_wheel_ships_the_fact_base_and_queries_it(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "query", "--country", "KG", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts and all(
        "KG" in f["origin"] + f["destination"] + f["area"] + f["nationality"] for f in facts
    )
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "import migfacts.loader as l; print(l.__file__); print(l.bundled_facts())"],
        capture_output=True, text=True, cwd=tmp_path, check=True,
    ).stdout.split()  # fmt: skip
    assert all(path.startswith(str(installed)) for path in where)
    assert (Path(where[1]) / "sources.toml").is_file()


def test_the_installed_entry_point_validates_and_reports_its_version(
    installed: Path, tmp_path: Path
) -> None:
    assert run(installed, "--version", cwd=tmp_path).stdout.startswith("migfacts ")
    result = run(installed, "validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("valid: ")
