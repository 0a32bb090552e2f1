"""The plain-prose shortcut gives exactly what Python-Markdown (with our extensions) gives."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from psp_static.markup import MarkdownRenderer, plain_paragraphs
from tests.synthetic import sentences

RENDERER = MarkdownRenderer("/psp/")

# Characters the shortcut accepts, the ones with a meaning at the start of a line, and a few it
# must leave to Markdown; runs of them make paragraphs, lists, rules, dashes and ellipses.
PIECES = st.sampled_from(
    ["word", "Word", "s", "t", "2019", "1.", "3)", " ", "  ", "\n", "\n\n", "\n\n\n", ",", ".", "..", "...", ";", ":",
     "?", "!", "(", ")", "/", "%", "+", "=", "@", "$", "-", "--", "---", "#", "'", '"', '"', ' "', '" ',
     '("', '")', '".', '",', "'", " '", "' ", "('", "')", "'.", "'s", "'90s", '"word"', "*", "_", "<", "&",
     "`", "[", "]", "\t", "é"]
)  # fmt: skip


def markdown(text: str) -> str:
    html, problems = RENDERER.convert_markdown(text)
    assert problems == []
    return html


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
@example("- item")
@example("1. first")
@example("Heading\n===")
@example("text  \nmore")
@example("    code")
@example("a...b")
@example("DEA's plan, don't 'quote' O'Neil's '90s")
@example('He said "go", then ("stop"). "9" and "10"')
@example("a. b.. c")
@example("\n\n\n")
def test_shortcut_matches_markdown_or_declines(text: str) -> None:
    fast = plain_paragraphs(text)
    if fast is not None:
        assert fast == markdown(text)


def test_shortcut_takes_ordinary_prose() -> None:
    prose = [s for s in sentences() if plain_paragraphs(s) is not None][:200]
    assert len(prose) > 50  # it is worth having: most sentences of plain prose qualify
    for paragraph in ("\n\n".join(prose[i : i + 3]) for i in range(0, len(prose), 3)):
        assert plain_paragraphs(paragraph) == markdown(paragraph)
