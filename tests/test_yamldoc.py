"""YAML is read the YAML 1.2 way, with positions, and without PyYAML's silent traps."""

from __future__ import annotations

import pytest

from psp_static.yamldoc import YamlError, parse


def messages(text: str, offset: int = 0) -> list[str]:
    with pytest.raises(YamlError) as caught:
        parse(text, "f.yaml", offset)
    return [str(e) for e in caught.value.errors]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("state: NO", "NO"),
        ("v: yes", "yes"),
        ("v: on", "on"),
        ("v: off", "off"),
        ("v: 12:30", "12:30"),
        ("v: 2024-05-01", "2024-05-01"),
        ("v: 0x1F", "0x1F"),
        ("v: 1_000", "1_000"),
        ("v: true", True),
        ("v: False", False),
        ("v: 2017", 2017),
        ("v: -90.05", -90.05),
        ("v: '2017'", "2017"),
        ("v: ~", None),
    ],
)
def test_plain_scalars_follow_yaml_1_2(text: str, value: object) -> None:
    data = parse(text + "\n", "f.yaml").data
    assert list(data.values()) == [value]
    assert type(next(iter(data.values()))) is type(value)


def test_positions_of_keys_and_values() -> None:
    doc = parse("name: Memphis\nengagements:\n  - cohort: pilot\n    type: x\n", "f.yaml", line_offset=1)
    assert doc.key_at(("name",)) == (2, 1)
    assert doc.value_at(("name",)) == (2, 7)
    assert doc.value_at(("engagements", 0, "cohort")) == (4, 13)
    assert doc.key_at(("engagements", 0, "type")) == (5, 5)
    # Unknown paths fall back to the nearest located ancestor.
    assert doc.value_at(("engagements", 0, "missing")) == doc.value_at(("engagements", 0))


def test_block_scalars_are_marked() -> None:
    doc = parse("a: |\n  text\nb: plain\n", "f.yaml")
    assert ("a",) in doc.block_scalars
    assert ("b",) not in doc.block_scalars


def test_duplicate_keys_are_refused_not_overwritten() -> None:
    assert messages("a: 1\nb: 2\na: 3\n") == ["f.yaml:3:1: field 'a' appears twice (first on line 1); keep one of them"]


def test_anchors_aliases_and_merge_keys_are_refused() -> None:
    assert "anchors and aliases" in messages("a: &x 1\nb: *x\n")[0]
    assert any("merge keys" in m for m in messages("base: &b {x: 1}\nother:\n  <<: *b\n"))


def test_custom_tags_are_refused() -> None:
    [message] = messages("a: !!python/object:os.system x\n")
    assert message.startswith("f.yaml:1:4: tags such as !!python/object:os.system are not supported")


def test_explicit_tag_that_does_not_fit_is_an_error_not_a_crash() -> None:
    assert "does not match its tag" in messages("a: !!int abc\n")[0]


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("title: Guns: a primer\n", "f.yaml:2:12", "put the value in quotes"),
        ("a:\n\t- b\n", "f.yaml:3:1", "indent with spaces, not tabs"),
        ('a: "open\n', "f.yaml:3:1", "not closed"),
        ("a: 1\n---\nb: 2\n", "f.yaml:3:1", "one document"),
        ("a: x\x07y\n", "f.yaml:2:5", "control character"),
    ],
)
def test_syntax_errors_are_located_and_explained(text: str, where: str, hint: str) -> None:
    [message] = messages(text, offset=1)
    assert message.startswith(where + ": ")
    assert hint in message


def test_empty_document() -> None:
    assert messages("# just a comment\n") == ["f.yaml:1:1: the file has no fields; fill it in (see CONTRIBUTING.md)"]


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 200)),
    ],
)
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    [message] = messages(text)
    assert "nest" in message
