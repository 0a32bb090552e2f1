"""Fuzzed content files: the build either succeeds or reports located content errors.

Never a traceback, never a half-written output folder.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from psp_static.errors import ContentErrors
from tests.conftest import build
from tests.golden import FIXTURE

pytestmark = pytest.mark.slow

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        ["NO", "yes", "on", "12:30", "2024-02-30", "0x1F", "~", "https://", "javascript:x", "pilot", "2019"]
    ),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)
FIELDS = [
    *("name", "state", "kind", "latitude", "longitude", "engagements", "cohort", "type", "start_year", "id"),
    *("title", "summary", "areas", "agency_sizes", "year", "added", "url", "date", "description", "places"),
]
documents = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), values, max_size=12)


def as_yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None, width=80)


raw_texts = st.one_of(
    documents.map(as_yaml),
    st.text(max_size=400),
    st.builds(lambda doc, n: as_yaml(doc) + "nested: " + "[" * n + "]" * n + "\n", documents, st.integers(0, 3000)),
    st.builds(lambda doc: "\ufeff" + as_yaml(doc).replace("\n", "\r\n"), documents),
    st.builds(lambda s: "title: " + s * 2000 + "\n", st.text(min_size=1, max_size=50)),
    st.sampled_from(["", "\n", "---\n", "- a\n- b\n", "a: &x 1\nb: *x\n", "a: !!python/object:os.system x\n", "\t"]),
)
raw_bytes = st.one_of(
    raw_texts.map(lambda t: t.encode("utf-8")),
    st.binary(max_size=300),
    st.builds(lambda t, b: t.encode() + b, raw_texts, st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\x80abc", b"\x00"])),
)
targets = st.sampled_from(
    [
        "sites/fuzz.yaml",
        "sites/memphis.yaml",
        "resources/fuzz.yaml",
        "cohorts/2019.yaml",
        "site.yaml",
        "clearinghouse.yaml",
        "news/fuzz.md",
        "pages/about.md",
        "home.md",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    target=targets,
    payload=raw_bytes,
    front_matter=st.booleans(),
    mutation=st.none() | st.tuples(st.sampled_from(FIELDS), values),
)
def test_fuzzed_file_builds_or_reports_located_errors(
    target: str, payload: bytes, front_matter: bool, mutation: tuple[str, object] | None
) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        content = root / "content"
        shutil.copytree(FIXTURE / "content", content)
        original = content / target
        if mutation and original.exists():
            # Change one field of a valid file, so the fuzzing reaches rendering as well as validation.
            text = original.read_text()
            front, _, body = text[4:].partition("\n---\n") if target.endswith(".md") else (text, "", "")
            data = yaml.safe_load(front) or {}
            data[mutation[0]] = mutation[1]
            payload = as_yaml(data).encode()
            if target.endswith(".md"):
                payload = b"---\n" + payload + b"---\n" + body.encode()
        elif target.endswith(".md") and front_matter:
            payload = b"---\n" + payload + b"\n---\nSome body text.\n"
        (content / target).write_bytes(payload)
        out = root / "output"
        out.mkdir()
        (out / "previous.html").write_text("the previous build")
        try:
            build(content, out)
        except ContentErrors as caught:
            assert caught.errors
            for error in caught.errors:
                assert Path(error.path).is_relative_to(content), error
                assert error.line >= 1 and error.col >= 1, error
                assert error.message, error
            assert [p.name for p in out.iterdir()] == ["previous.html"]
        else:
            assert (out / "index.html").is_file() and not (out / "previous.html").exists()
        # No temporary folder left; the build cache and the replaced output may stay beside the
        # output (the next build starts from them).
        assert {p.name for p in root.iterdir()} <= {"content", "output", ".output-cache", ".output-previous"}
