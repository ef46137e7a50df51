from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def samples() -> Path:
    return SAMPLES
