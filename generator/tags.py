"""Tags: the deck's vocabulary (``[tags]`` in deck.toml) and the tags a note carries.

A learner's collection holds many decks, so every tag a note carries sits under the deck's
own prefix, where Anki's browser shows it as a tree:

* ``DLIP::topic::<topic>``: the card's own ``tags``, aliases replaced by their topic;
* ``DLIP::level::<level>``: basic, intermediate or advanced;
* ``DLIP::requires::cuda``: the card's code needs a GPU;
* ``DLIP::status::unverified-gpu``: shipped without a GPU run (``ship_unverified_gpu``).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator

from generator.config import Config
from generator.model import BuiltCard, Card, Finding, Location, RawCard
from generator.order import card_level


def topic_of(tag: str, config: Config) -> str:
    """The vocabulary's name for ``tag``: its topic when it is an alias, else itself."""
    return config.aliases.get(tag, tag)


def suggest_topic(tag: str, config: Config) -> str | None:
    """The topic an unknown tag most likely means: a close spelling of a topic or alias, else
    a topic or alias that is one of its words (``vision-transformer`` -> ``vision``)."""
    names = {topic: topic for topic, _ in config.topics} | config.aliases
    close = difflib.get_close_matches(tag, list(names), n=1, cutoff=0.75)
    if close:
        return names[close[0]]
    words = tag.split("-")
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            part = "-".join(words[start:start + size])
            if part in names:
                return names[part]
    return None  # a looser guess would mislead more often than help


def check_tags(card: RawCard, config: Config) -> Iterator[Finding]:
    """Warnings for tags outside the vocabulary (none when deck.toml declares no topics)."""
    if not config.topics:
        return
    field = card.field("tags")
    lines = field.item_lines if field is not None else ()
    known = {topic for topic, _ in config.topics}
    for index, tag in enumerate(card.tags):
        where = Location(card.path, lines[index]) if index < len(lines) else card.location
        if tag in known:
            continue
        if tag in config.aliases:
            yield Finding("warning", where, f"tag '{tag}' is an alias: write "
                          f"'{config.aliases[tag]}' (it is emitted as that topic)")
            continue
        guess = suggest_topic(tag, config)
        hint = f"did you mean '{guess}'? " if guess else ""
        yield Finding("warning", where, f"tag '{tag}' is not in the tag vocabulary ({hint}use a "
                      "topic from [tags.topics] in deck.toml, or add it there as a topic or as "
                      "an alias of one)")


def unknown_tags(cards: Iterable[RawCard | Card], config: Config) -> list[str]:
    """One line per tag outside the vocabulary: how many cards use it and what it may mean,
    most used first, so tags from new cards can be mapped in one go."""
    if not config.topics:
        return []
    known = {topic for topic, _ in config.topics} | set(config.aliases)
    counts = Counter(tag for card in cards for tag in dict.fromkeys(card.tags) if tag not in known)
    lines = []
    for tag, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        guess = suggest_topic(tag, config)
        mapping = f"alias of '{guess}'?" if guess else "a new topic, or an alias of one?"
        lines.append(f"  {tag} ({count} card{'s' if count != 1 else ''}): {mapping}")
    return lines


def note_tags(built: BuiltCard, config: Config) -> tuple[str, ...]:
    """Every tag of the card's note, under ``[tags] prefix``, sorted."""
    card = built.card
    prefix = config.tag_prefix
    tags = {f"{prefix}::topic::{topic_of(tag, config)}" for tag in card.tags}
    tags.add(f"{prefix}::level::{card_level(card, config)}")
    if "cuda" in card.requires and card.snippets:
        tags.add(f"{prefix}::requires::cuda")
    if any(s.verification is None for s in built.snippets):
        tags.add(f"{prefix}::status::unverified-gpu")
    return tuple(sorted(tags))
