"""The one Markdown parser every renderer uses: CommonMark + tables + ``$``/``$$`` math.

Raw HTML is disabled, so ``<script>`` in a card is text, never a tag. Renderers walk the
token stream (``parse_markdown``) and emit their own format (HTML for Anki, Typst for PDF).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin


@lru_cache(maxsize=1)
def md_parser() -> MarkdownIt:
    """CommonMark without raw HTML, with tables, strikethrough and dollar math."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # allow_space / allow_digits: "$5 and $6" is not math; "$x$" and "$$...$$" are.
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
           double_inline=True)
    return md


def parse_markdown(text: str) -> list[Token]:
    """Tokens for one card field (``math_inline``, ``math_block``, ``fence``, ...)."""
    return md_parser().parse(text)
