from __future__ import annotations

import os
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def samples() -> Path:
    return SAMPLES


# Hypothesis profiles: ``default`` keeps ``make test`` fast; nightly runs set
# HYPOTHESIS_PROFILE=nightly for many more examples.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("default", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
