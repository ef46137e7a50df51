"""pytest plugin: one test item per (card snippet, device)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cpu: a card snippet run on the CPU")
    config.addinivalue_line("markers", "cuda: a card snippet run on a CUDA GPU")
