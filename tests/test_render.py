"""generator.render: card fields as Anki HTML, the note type's templates and CSS."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from generator.config import Config, load_config
from generator.errors import BuildError, CardError
from generator.model import BuiltCard, Card, SnippetResult, Verification
from generator.lint import resolve_card
from generator.parse import read_card
from generator.render import (
    FIELD_NAMES,
    check_verified,
    get_env,
    highlight_code,
    inline_markdown_to_html,
    markdown_to_html,
    note_type_spec,
    render_card,
)

ROOT = Path(__file__).parent / "samples" / "anki"
VERSIONS = (("python", "3.11.7"), ("torch", "2.13.0"), ("scikit-learn", "1.5.2"))


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(ROOT)


def card(name: str) -> Card:
    raw = read_card(ROOT, next((ROOT / "cards").rglob(f"{name}.md")))
    return resolve_card(raw, default_subdeck=load_config(ROOT).default_subdeck)


def built(c: Card, *, status: str = "passed", stdout: str = "printed\n",
          unverified: tuple[str, ...] = ()) -> BuiltCard:
    results = []
    for ref in c.snippets:
        code = (ROOT / ref.source_path).read_text(encoding="utf-8")
        for device in c.requires:
            v = None if device in unverified else Verification(
                card_id=c.id or "", snippet=ref.source_path, device=device, status=status,
                stdout=stdout, stderr="", duration=0.1, versions=VERSIONS, content_hash="x",
                gpu_name="NVIDIA H100" if device == "cuda" else None,
                message="AssertionError" if status == "failed" else "")
            results.append(SnippetResult(ref, code, v, device))
    return BuiltCard(c, c.deck or "Fundamentals", tuple(results))


def test_fields_in_note_type_order(config: Config) -> None:
    r = render_card(built(card("batchnorm-modes")), config)
    assert [name for name, _ in r.fields] == list(FIELD_NAMES)
    assert r.field("Id") == "batchnorm-modes-5c1e7a2b"
    assert r.deck == "Sample Deck::Training"


def test_question_inline_markdown_and_math(config: Config) -> None:
    r = render_card(built(card("attention-scaling")), config)
    assert r.field("Question") == r"Why is dot-product attention scaled by \(1/\sqrt{d_k}\)?"
    bn = render_card(built(card("batchnorm-modes")), config)
    assert "<code>train()</code>" in bn.field("Question")
    assert not bn.field("Question").startswith("<p>")


def test_display_math_goes_to_mathjax(config: Config) -> None:
    example = render_card(built(card("batchnorm-modes")), config).field("Example")
    assert r"\[\hat x = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}\]" in example
    assert "$$" not in example


def test_dollar_in_code_and_escaped_dollar_stay(config: Config) -> None:
    r = render_card(built(card("attention-scaling")), config)
    assert "<code>cost = $5</code>" in r.field("Reason")
    assert "A price of $5 is not math" in r.field("Reason")
    assert "\\(" not in r.field("Reason")
    # in a fenced block and in the snippet: a "$" is code, not math
    assert '&quot;$&quot;' in r.field("Example") or '"$"' in r.field("Example")
    assert "\\(" not in r.field("Code")


def test_raw_html_never_reaches_anki_as_a_tag(config: Config) -> None:
    r = render_card(built(card("attention-scaling"), stdout="<b>out</b>\n"), config)
    pitfall = r.field("Pitfall")
    assert "<script" not in pitfall and "&lt;script&gt;" in pitfall
    assert "<b>" not in pitfall
    assert "<b>" not in r.field("Output") and "&lt;b&gt;out&lt;/b&gt;" in r.field("Output")
    for _, html in r.fields:
        assert "<script" not in html.lower()


def test_anki_markup_in_text_is_shown_literally(config: Config) -> None:
    r = render_card(built(card("attention-scaling")), config)
    assert "[sound:" not in r.field("Pitfall")
    assert "&#91;sound:y.mp3]" in r.field("Pitfall")
    assert "{{" not in r.field("Code")  # the snippet prints "{{literal braces}}"


def test_code_output_and_provenance(config: Config) -> None:
    r = render_card(built(card("attention-scaling")), config)
    code = r.field("Code")
    assert "snippets/architectures/attention_scaling.py" in code
    assert code.count('class="highlight') == 1  # one snippet, shown once for two devices
    assert '<span class="kn">import</span>' in code
    output = r.field("Output")
    assert output.count("<pre") == 2 and "on cpu" in output and "on cuda" in output
    prov = r.field("Provenance")
    assert ("verified with Python 3.11.7, torch 2.13.0, scikit-learn 1.5.2 on cpu"
            in prov)
    assert "on cuda (NVIDIA H100)" in prov


def test_unverified_gpu_marker_is_visible(config: Config) -> None:
    r = render_card(built(card("attention-scaling"), unverified=("cuda",)), config)
    note = "".join(value for _, value in r.fields)
    # the badge once, in small print next to the code, and no empty or placeholder box
    assert note.count("not verified on a GPU") == 1
    assert '<p class="prep-note"><span class="prep-unverified">not verified on a GPU</span>' \
        in r.field("Code")
    assert "checked on the CPU only" in r.field("Code")
    assert "(no output)" not in note
    assert r.field("Output").count("<pre") == 1 and "on cuda" not in r.field("Output")
    assert "not yet run on cuda" in r.field("Provenance")
    assert "SD::status::unverified-gpu" in r.tags


def test_cuda_only_card_without_a_gpu_run_has_no_output_section(config: Config) -> None:
    c = replace(card("attention-scaling"), requires=("cuda",))
    r = render_card(built(c, unverified=("cuda",)), config)
    assert r.field("Output") == ""
    assert "so it has no output here" in r.field("Code")


def test_empty_output_gets_no_box(config: Config) -> None:
    r = render_card(built(card("batchnorm-modes"), stdout=""), config)
    assert r.field("Output") == ""
    assert "(no output)" not in r.field("Code") + r.field("Provenance")


def test_device_global_is_explained_only_where_used(config: Config) -> None:
    c = card("attention-scaling")
    r = render_card(built(c), config)
    code = (ROOT / c.snippets[0].source_path).read_text(encoding="utf-8")
    explained = "<code>DEVICE</code> is the device the code runs on" in r.field("Code")
    assert explained == ("DEVICE" in code)
    other = render_card(built(card("batchnorm-modes")), config)
    assert "DEVICE" not in other.field("Code")


def test_code_lines_wrap_with_their_indentation() -> None:
    html_code = str(highlight_code("def f(x):\n    return x  # a <b>\n\n        pass\n"))
    lines = re.findall(r'<span class="cl" style="--ind:(\d+)">', html_code)
    assert lines == ["0", "4", "0", "8"]
    assert "&lt;b&gt;" in html_code


def test_card_without_snippet_has_empty_code_fields(config: Config) -> None:
    r = render_card(built(card("bias-variance")), config)
    assert r.field("Code") == r.field("Output") == r.field("Provenance") == ""
    assert r.deck == "Sample Deck::Fundamentals"
    assert "<li>" in r.field("Example")


def test_tags_sit_under_the_deck_prefix(config: Config) -> None:
    # "Sample Deck" declares no [tags]: the prefix is its initials, any tag is a topic
    assert render_card(built(card("attention-scaling")), config).tags == (
        "SD::level::intermediate", "SD::requires::cuda", "SD::topic::attention")
    assert render_card(built(card("bias-variance")), config).tags == (
        "SD::level::intermediate", "SD::topic::theory")


def test_aliases_become_their_topic_and_level_is_tagged(config: Config) -> None:
    vocab = replace(config, tag_prefix="X", topics=(("transformers", ("attention",)),))
    c = replace(card("attention-scaling"), level="advanced")
    assert render_card(built(c, unverified=("cuda",)), vocab).tags == (
        "X::level::advanced", "X::requires::cuda", "X::status::unverified-gpu",
        "X::topic::transformers")


def test_full_subdeck_name_is_not_prefixed_twice(config: Config) -> None:
    b = built(card("bias-variance"))
    assert render_card(replace(b, subdeck="Sample Deck::X"), config).deck == "Sample Deck::X"


def test_highlight_and_markdown_helpers() -> None:
    assert 'class="highlight tex2jax_ignore"' in highlight_code("x = 1")
    assert "<pre" in markdown_to_html("```python\nre.compile(r'\\(')\n```")
    assert "\\(" not in markdown_to_html("```\nre.compile(r'\\(')\n```").split("<pre")[0]
    assert inline_markdown_to_html("a <i>b</i>") == "a &lt;i&gt;b&lt;/i&gt;"


def test_env_is_strict_and_autoescaping() -> None:
    env = get_env()
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_note_type_templates(config: Config) -> None:
    spec = note_type_spec(config)
    assert "{{Question}}" in spec.front
    for name in ("FrontSide", "Principle", "Reason", "Example", "Pitfall"):
        assert "{{" + name + "}}" in spec.back
    assert "{{#Code}}" in spec.back and "{{Provenance}}" in spec.back
    assert spec.back.index("{{Principle}}") < spec.back.index("{{Reason}}") \
        < spec.back.index("{{Example}}") < spec.back.index("{{Pitfall}}") \
        < spec.back.index("{{Code}}") < spec.back.index("{{Output}}")
    assert "[[" not in spec.back and "[%" not in spec.back


def test_css_is_self_contained_with_both_themes(config: Config) -> None:
    css = note_type_spec(config).css
    assert not re.search(r"url\(|@import|https?:|@font-face", css)
    assert ".highlight .k {" in css  # light Pygments theme
    assert ".nightMode .highlight .k, .night_mode .highlight .k {" in css
    assert ".nightMode.card" in css and ".night_mode .card" in css
    assert "overflow-x: auto" in css  # long code lines scroll instead of being cut off
    # nothing in the Pygments rules escapes the .highlight scope
    assert not re.search(r"^(pre|td|span)\b", css, re.MULTILINE)


def test_check_verified_names_every_problem() -> None:
    ok = built(card("batchnorm-modes"))
    failed = built(card("batchnorm-modes"), status="failed")
    gpu = built(card("attention-scaling"), unverified=("cuda",))
    check_verified([ok, built(card("bias-variance"))])
    check_verified([gpu], allow_unverified_gpu=True)
    with pytest.raises(BuildError) as err:
        check_verified([failed, gpu])
    text = str(err.value)
    assert "cards/training/batchnorm-modes.md:5: training/batchnorm_modes.py on cpu failed" in text
    assert "cards/architectures/attention-scaling.md:5:" in text and "on cuda is not verified" in text


def test_check_verified_stale_and_missing() -> None:
    b = built(card("batchnorm-modes"))
    v = b.snippets[0].verification
    assert v is not None
    stale = replace(b, snippets=(replace(b.snippets[0], verification=replace(v, card_id="old")),))
    with pytest.raises(BuildError, match="is stale"):
        check_verified([stale])
    with pytest.raises(BuildError, match="has no verification on cpu"):
        check_verified([replace(b, snippets=())])


def test_only_a_card_with_id_and_question_becomes_a_checked_card() -> None:
    # Renderers take checked ``Card``s, whose id and question cannot be missing.
    raw = read_card(ROOT, next((ROOT / "cards").rglob("bias-variance.md")))
    with pytest.raises(CardError, match="no id"):
        resolve_card(replace(raw, id=None), default_subdeck="Default")


def test_wrapped_code_still_reads_as_the_snippet(config: Config) -> None:
    """The per-line spans add markup only: the code's text is the snippet, byte for byte."""
    import html as html_module

    c = card("attention-scaling")
    code = (ROOT / c.snippets[0].source_path).read_text(encoding="utf-8")
    field = render_card(built(c), config).field("Code")
    pre = re.search(r"<pre>(.*?)</pre>", field, re.S)
    assert pre is not None
    text = html_module.unescape(re.sub(r"<[^>]+>", "", pre.group(1)))
    assert text == code.rstrip() + "\n"
