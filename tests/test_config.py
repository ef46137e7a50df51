from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import ConfigError

BAD = Path(__file__).parent / "samples" / "bad-config"


@pytest.mark.parametrize("case", sorted(p.name for p in BAD.iterdir() if p.is_dir()))
def test_bad_config_reports_every_problem(case: str) -> None:
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    with pytest.raises(ConfigError) as err:
        load_config(BAD / case)
    assert err.value.report() == expected


def test_missing_config_says_where_to_run(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no deck.toml in"):
        load_config(tmp_path)


def test_good_config_values(samples: Path) -> None:
    config = load_config(samples / "good")
    assert (config.name, config.deck_id, config.note_type_id) == ("Sample deck", 2000000001, 2000000002)
    assert config.apkg_name == "sample.apkg"
    assert config.cards_pdf_name == "sample-cards.pdf"
    assert (config.paper, config.cards_per_page, config.duplex) == ("a4", 4, "long")


def test_the_repository_deck_toml_is_valid() -> None:
    config = load_config(Path(__file__).parent.parent)
    assert config.deck_id != config.note_type_id


def test_a_byte_order_mark_is_accepted(tmp_path: Path, samples: Path) -> None:
    # Windows editors may save one; tomllib alone rejects it as "Invalid statement".
    text = (samples / "good" / "deck.toml").read_bytes()
    (tmp_path / "deck.toml").write_bytes(b"\xef\xbb\xbf" + text)
    assert load_config(tmp_path).name == "Sample deck"
