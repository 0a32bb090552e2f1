"""The schemas editors' tools read: the site's vocabularies as values, in step with the content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from psp_static import loader
from psp_static.cli import cli
from tests.conftest import REAL_CONTENT, REPO


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("schemas")
    result = CliRunner().invoke(cli, ["schema", "--out", str(out), "--content", str(REAL_CONTENT)])
    assert result.exit_code == 0, result.output
    return {p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in out.glob("*.schema.json")}


def read(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("\n---", 1)[0].removeprefix("---\n")
    return yaml.safe_load(text)


def test_vocabularies_are_the_contents_own_with_their_names(written: dict[str, dict[str, Any]]) -> None:
    clearinghouse = yaml.safe_load((REAL_CONTENT / "clearinghouse.yaml").read_text())
    resource = written["resource"]["properties"]
    assert resource["type"]["enum"] == [t["slug"] for t in clearinghouse["types"]]
    assert resource["type"]["enumDescriptions"] == [t["name"] for t in clearinghouse["types"]]
    assert resource["sponsor"]["enum"] == [s["code"] for s in clearinghouse["sponsors"]]
    assert resource["agency_sizes"]["items"]["enum"] == [s["slug"] for s in clearinghouse["agency_sizes"]]
    areas = {p.stem: yaml.safe_load(p.read_text())["name"] for p in (REAL_CONTENT / "areas").glob("*.yaml")}
    assert (
        dict(zip(resource["areas"]["items"]["enum"], resource["areas"]["items"]["enumDescriptions"], strict=True))
        == areas
    )
    cohort = written["site"]["properties"]["engagements"]["items"]["properties"]["cohort"]
    assert {str(v) for v in cohort["enum"]} == {p.stem for p in (REAL_CONTENT / "cohorts").glob("*.yaml")}
    sites = written["news"]["properties"]["sites"]["items"]["enum"]
    assert sorted(sites) == sorted(p.stem for p in (REAL_CONTENT / "sites").glob("*.yaml"))


def test_every_content_file_is_valid_against_its_editor_schema(written: dict[str, dict[str, Any]]) -> None:
    """What the editor underlines is what the build refuses: today's content passes both."""
    checked = 0
    for kind in loader.KINDS:
        validator = jsonschema.Draft7Validator(written[kind.name])
        paths = (
            sorted((REAL_CONTENT / kind.location).glob(f"*{kind.suffix}"))
            if kind.collection
            else [REAL_CONTENT / kind.location]
        )
        for path in paths:
            problems = [e.message for e in validator.iter_errors(read(path))]
            assert problems == [], (path, problems)
            checked += 1
    assert checked == sum(1 for p in REAL_CONTENT.rglob("*") if p.is_file() and p.suffix in (".yaml", ".md"))


def test_vs_code_maps_every_yaml_content_folder_to_its_schema() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text())["yaml.schemas"]
    expected = {
        f".schemas/{kind.name}.schema.json": f"content/{kind.location}" + ("/*.yaml" if kind.collection else "")
        for kind in loader.KINDS
        if not kind.markdown  # VS Code's YAML extension does not read Markdown front matter
    }
    assert settings == expected
    assert "redhat.vscode-yaml" in json.loads((REPO / ".vscode" / "extensions.json").read_text())["recommendations"]


def test_an_unknown_cohort_is_underlined_by_the_editor_schema(written: dict[str, dict[str, Any]]) -> None:
    site = yaml.safe_load((REAL_CONTENT / "sites" / "baltimore.yaml").read_text())
    site["engagements"][0]["cohort"] = "2020"
    errors = list(jsonschema.Draft7Validator(written["site"]).iter_errors(site))
    assert [e.validator for e in errors] == ["enum"]
