from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import CardError
from generator.model import Location
from generator.parse import parse_card

CARD = """---
id: sample-1
tags: [a, b]
snippet:
  - x/one.py
  - x/two.py
requires: [cpu, cuda]
timeout: 5
---
# What is the question?

## Principle
Text with `# not a heading`.

```python
# a comment, not a heading
## nor this
```

## Reason
R.

## Example
E $x^2$.

## Pitfall
P.
"""


def test_parses_fields_with_locations() -> None:
    card = parse_card(CARD, "cards/x/sample.md")
    assert card.id == "sample-1"
    assert card.tags == ("a", "b")
    assert card.requires == ("cpu", "cuda")
    assert card.timeout == 5.0
    assert card.topic == "x"
    assert [s.path for s in card.snippets] == ["x/one.py", "x/two.py"]
    assert [s.location.line for s in card.snippets] == [5, 6]
    assert card.key_location("requires") == Location("cards/x/sample.md", 7)
    assert card.question == "What is the question?"
    assert card.question_location == Location("cards/x/sample.md", 10)
    assert [(s.name, s.location.line) for s in card.sections] == [
        ("Principle", 12), ("Reason", 20), ("Example", 23), ("Pitfall", 26)]


def test_headings_inside_fences_are_code() -> None:
    card = parse_card(CARD, "cards/x/sample.md")
    principle = card.section("Principle")
    assert principle is not None
    assert "## nor this" in principle.body
    assert principle.body_line == 13


def test_crlf_and_lf_give_the_same_card() -> None:
    lf = parse_card(CARD, "cards/x/a.md")
    crlf = parse_card(CARD.replace("\n", "\r\n").encode(), "cards/x/a.md")
    assert crlf == lf


def test_bom_is_stripped_and_noted() -> None:
    card = parse_card(b"\xef\xbb\xbf" + CARD.encode(), "cards/x/a.md")
    assert card.has_bom
    assert card.id == "sample-1"


def test_non_utf8_names_the_line() -> None:
    with pytest.raises(CardError) as err:
        parse_card(b"---\nid: a-b-c\n---\n# Caf\xe9\n", "cards/x/a.md")
    assert str(err.value).startswith("cards/x/a.md:4: not valid UTF-8")


def test_values_are_kept_as_written_for_lint() -> None:
    card = parse_card("---\nid: 12\ntags: oops\ntimeout: soon\n---\n# Q\n", "cards/x/a.md")
    assert card.id is None  # not a string: lint reports the raw value
    assert card.field("id") is not None and card.field("id").value == 12  # type: ignore[union-attr]
    assert card.tags == ()
    assert card.timeout is None


def test_a_one_megabyte_card_parses_quickly() -> None:
    body = CARD.replace("E $x^2$.", "word " * 200_000)
    assert len(body) > 1_000_000
    start = time.perf_counter()
    card = parse_card(body, "cards/x/big.md")
    assert time.perf_counter() - start < 5  # generous: a hang or quadratic blow-up fails
    assert len(card.section("Example").body) == 1_000_000  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_gives_a_card_or_a_card_error(text: str) -> None:
    try:
        parse_card(text, "cards/x/any.md")
    except CardError as err:
        assert err.location is not None and err.location.path == "cards/x/any.md"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("-#:\n\t []{}'\"&*!|>%@`$\\abc123\r\ufeff"))))
def test_structured_noise_gives_a_card_or_a_card_error(text: str) -> None:
    # Biased towards front-matter and Markdown syntax, where a parser breaks first.
    try:
        parse_card("---\n" + text, "cards/x/any.md")
    except CardError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_arbitrary_bytes_give_a_card_or_a_card_error(data: bytes) -> None:
    try:
        parse_card(data, "cards/x/any.md")
    except CardError:
        pass
