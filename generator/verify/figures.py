"""Figures: the SVG files a snippet saves into its working folder, collected after a passing run.

The supervisor (not the snippet's process) reads them, so a snippet cannot forge a figure into
its reply. Only plain ``*.svg`` files at the top of the working folder count, at most
``MAX_FIGURES`` of at most ``MAX_FIGURE_BYTES`` each; a raster or PDF figure, a link, a bad
name or an oversized file fails the run with a message that says what to do.

The worker's matplotlib is set up for byte-identical SVGs (``matplotlibrc`` beside this file,
``SOURCE_DATE_EPOCH``, the fonts bundled with matplotlib): see docs/card-format.md, "Figures".
This module is part of the runner's code hash (``jobs.runner_hash``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from pathlib import Path

from generator.model import Figure

MAX_FIGURES = 4
MAX_FIGURE_BYTES = 512 << 10
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,47}\.svg")
OTHER_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".pdf", ".eps", ".ps", ".webp")
RCFILE = Path(__file__).with_name("matplotlibrc")
# What the worker's environment sets so that matplotlib's SVGs are reproducible.
ENVIRONMENT = {"MPLBACKEND": "Agg", "SOURCE_DATE_EPOCH": "0", "MATPLOTLIBRC": str(RCFILE)}


class FigureError(ValueError):
    """A figure that cannot ship: the message says why and what to do."""


def check_svg(name: str, data: bytes) -> str:
    """The SVG text of ``data``; ``FigureError`` unless it is a small, well-named SVG."""
    if not NAME.fullmatch(name):
        raise FigureError(f"figure '{name}': name it with letters, digits, '_' or '-' and "
                          "'.svg' (at most 48 characters before '.svg')")
    if len(data) > MAX_FIGURE_BYTES:
        raise FigureError(f"figure '{name}' has {len(data)} bytes; a figure may have at most "
                          f"{MAX_FIGURE_BYTES} (plot fewer points, or use rasterized=True)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FigureError(f"figure '{name}' is not UTF-8 text (an SVG is)") from None
    if "<svg" not in text[:4096]:
        raise FigureError(f"figure '{name}' is not an SVG file")
    return text


def make_figure(name: str, text: str) -> Figure:
    return Figure(name, hashlib.sha256(text.encode("utf-8")).hexdigest(), text)


def collect(workdir: Path) -> tuple[Figure, ...]:
    """The SVG figures at the top of ``workdir``, sorted by name; ``FigureError`` for a
    figure that cannot ship."""
    try:
        names = sorted(os.listdir(workdir))
    except OSError:
        return ()
    others = [n for n in names if n.lower().endswith(OTHER_IMAGES)]
    if others:
        raise FigureError(f"saved {', '.join(others[:3])}: a card shows SVG figures only "
                          "(plt.savefig('name.svg'))")
    svgs = [n for n in names if n.lower().endswith(".svg")]
    if len(svgs) > MAX_FIGURES:
        raise FigureError(f"saved {len(svgs)} figures; a card shows at most {MAX_FIGURES}")
    figures = []
    for name in svgs:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(workdir / name, flags)
        except OSError as err:
            raise FigureError(f"figure '{name}' cannot be read ({err.strerror}); save a "
                              "plain file, not a link") from None
        with contextlib.closing(os.fdopen(fd, "rb")) as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise FigureError(f"figure '{name}' is not a plain file")
            data = fh.read(MAX_FIGURE_BYTES + 1)
        figures.append(make_figure(name, check_svg(name, data)))
    return tuple(figures)
