from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def col(tmp_path: Path) -> Iterator[object]:
    """An empty Anki collection of the real backend (the ``anki`` package)."""
    from anki.collection import Collection

    (tmp_path / "collection").mkdir()
    collection = Collection(str(tmp_path / "collection" / "collection.anki2"))
    yield collection
    collection.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly when the browser tests did not run (no Chromium on this machine)."""
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if "test_browser.py" in getattr(r, "nodeid", "")]
    if skipped:
        terminalreporter.write_sep(
            "!", f"BROWSER TESTS SKIPPED: {len(skipped)} of the phone/desktop checks did not run "
                 "(apt-get install chromium; .ci/run installs it)", red=True, bold=True)


# Hypothesis profiles: ``default`` keeps ``make test`` fast; nightly runs set
# HYPOTHESIS_PROFILE=nightly for many more examples.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("default", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
