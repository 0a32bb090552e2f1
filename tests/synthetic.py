"""Synthetic content of realistic shape, for the benchmark and the scale tests.

The real content's configuration, areas, cohorts, roles, pages and news are copied as they are;
resources and sites are generated with a fixed seed. Text is real English: sentences taken from
the docstrings of Python's standard library, so words, lengths and vocabulary behave like prose
for the tokenizer, the stemmer and gzip (random letters would flatter nothing and test nothing).
"""

from __future__ import annotations

import argparse
import hashlib
import pydoc
import random
import re
import shutil
import sys
from functools import cache
from pathlib import Path

import yaml

from psp_static import whole_file

# libyaml's emitter when PyYAML has it: the same text as the Python one, in less than half the time
# (10,000 resources in 8 s, not 20).
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "content"
COPIED = ("site.yaml", "clearinghouse.yaml", "home.md", "areas", "cohorts", "roles", "pages", "news")
MODULES = ("collections", "json", "pathlib", "argparse", "logging", "subprocess", "email.message", "http.client",
           "unittest", "datetime", "decimal", "sqlite3", "threading", "zipfile", "tarfile", "csv", "textwrap",
           "difflib", "statistics", "fractions", "calendar", "urllib.request", "xml.dom.minidom", "shutil")  # fmt: skip
# A box over the contiguous United States, with each point's state from a rough grid of codes:
# the map does not care about the state, only that it is a known code.
STATES = ("TX", "CA", "IL", "OH", "GA", "NC", "MI", "NJ", "VA", "WA", "AZ", "TN", "MO", "MD", "IN", "CO", "LA")
COHORTS = ("pilot", "2017", "2018", "2019", "2021", "2022", "2023", "2024")
TYPES = ("guide", "toolkit", "case-study", "webinar", "publication", "training", "best-practice", "podcast")
AREAS = ("community-engagement", "constitutional-policing", "crime-analysis", "criminal-justice-collaboration",
         "federal-partnerships", "gun-violence", "investigations", "technology")  # fmt: skip
SPONSORS = ("BJA", "COPS", "NIJ", "OJJDP", "ATF", "FBI", "DEA", "USMS")
SIZES = ("small", "medium", "large")
AUTHORS = ("Bureau of Justice Assistance", "National Police Foundation", "RAND Corporation",
           "Police Executive Research Forum", "Urban Institute", "CNA Corporation")  # fmt: skip


@cache
def sentences() -> tuple[str, ...]:
    """Plain English sentences of 8 to 40 words from standard-library documentation, kept in
    .cache/ for this Python: rendering the documentation takes over a second a process."""
    kept = REPO / ".cache" / "synthetic" / f"sentences-{hashlib.sha256(sys.version.encode()).hexdigest()[:12]}.txt"
    try:
        return tuple(kept.read_text(encoding="utf-8").splitlines())
    except FileNotFoundError:
        found = _documentation_sentences()
        whole_file.replace(kept, "".join(line + "\n" for line in found).encode())
        return found


def _documentation_sentences() -> tuple[str, ...]:
    found: set[str] = set()
    for name in MODULES:
        text = pydoc.plain(pydoc.render_doc(name))
        text = re.sub(r"\s+", " ", re.sub(r"[|`*_=<>{}\[\]\\#$@~^]", " ", text))
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            words = sentence.split()
            if 8 <= len(words) <= 40 and sentence[0].isupper() and sentence.endswith(".") and "(" not in sentence:
                found.add(" ".join(words))
    return tuple(sorted(found))


def paragraph(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.sample(sentences(), rng.randint(low, high)))


def summary(rng: random.Random, number: int) -> str:
    """Two or three sentences, within the schema's 400 characters."""
    text = f"Resource {number}."
    for sentence in rng.sample(sentences(), 3):
        if len(text) + len(sentence) + 1 > 400:
            break
        text += " " + sentence
    return text


def title(rng: random.Random, number: int) -> str:
    words = [w.strip(".,;:") for w in rng.choice(sentences()).split()[: rng.randint(3, 8)]]
    return " ".join(words).capitalize() + f" (No. {number})"  # unique, so pages differ in title


def resource(rng: random.Random, number: int) -> dict[str, object]:
    year = rng.randint(2008, 2025)
    return {
        "id": 100000 + number,
        "title": title(rng, number),
        "summary": summary(rng, number),
        "description": "\n\n".join(paragraph(rng, 2, 5) for _ in range(rng.randint(1, 3))),
        "type": rng.choice(TYPES),
        "areas": sorted(rng.sample(AREAS, rng.randint(1, 3))),
        "agency_sizes": sorted(rng.sample(SIZES, rng.randint(1, 3))),
        "author": rng.choice(AUTHORS),
        "sponsor": rng.choice(SPONSORS),
        "provider": "Synthetic Provider",
        "year": year,
        "format": rng.choice(("PDF", "Web page", "Video")),
        "url": f"https://www.example.org/resources/{number}",
        "added": f"{max(year, 2015)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "tags": sorted(rng.sample(("violence", "gangs", "data", "training", "youth", "firearms", "trust"), 2)),
    }


def site(rng: random.Random, number: int) -> dict[str, object]:
    cohort = rng.choice(COHORTS)
    start = 2014 if cohort == "pilot" else int(cohort)
    return {
        "name": f"Synthetic City {number}",
        "state": rng.choice(STATES),
        "kind": rng.choice(("city", "city", "city", "county")),
        "latitude": round(rng.uniform(30.0, 47.0), 4),
        "longitude": round(rng.uniform(-120.0, -75.0), 4),
        "engagements": [
            {
                "cohort": cohort,
                "type": "vrn-pilot" if cohort == "pilot" else rng.choice(("diagnostic", "operations", "intensive")),
                "start_year": start,
                "end_year": start + 3,
            }
        ],
        "summary": paragraph(rng, 1, 3),
    }


def generate(target: Path, resources: int, sites: int, seed: int = 2024) -> Path:
    """Write a content folder with ``resources`` resources and ``sites`` sites into ``target``."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in COPIED:
        source = REAL / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    (target / "resources").mkdir()
    for number in range(1, resources + 1):
        write(target / "resources" / f"resource-{number:05d}.yaml", resource(rng, number))
    (target / "sites").mkdir()
    for number in range(1, sites + 1):
        write(target / "sites" / f"synthetic-city-{number:04d}.yaml", site(rng, number))
    # News items name real sites; point them at synthetic ones so every reference resolves.
    for path in sorted((target / "news").glob("*.md")):
        text = re.sub(r"(?m)^sites:\n(?:\s+- .*\n)+", "sites:\n  - synthetic-city-0001\n", path.read_text())
        path.write_text(text)
    return target


def write(path: Path, data: dict[str, object]) -> None:
    path.write_text(yaml.dump(data, Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=100))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--sites", type=int, default=70)
    args = parser.parse_args()
    generate(args.target, args.resources, args.sites)


if __name__ == "__main__":
    main()
