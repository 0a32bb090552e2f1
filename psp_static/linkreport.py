"""The nightly link check's report: each external link that does not answer, with the content
files and lines that hold it, as Markdown for the one GitHub issue that tracks broken links.

Editors fix a link where they wrote it, so the report names ``content/…:line`` (or the template),
not the built page. Run by ``make link-report``; the workflow hands the file to
``.github/scripts/broken-links-issue.sh``, which opens, updates or closes the issue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from psp_static.errors import display_path

# Files that can hold a link: content (YAML and Markdown) and templates.
_TEXT_SUFFIXES = (".yaml", ".yml", ".md", ".html")


def sources(folders: Iterable[Path]) -> list[Path]:
    """Every text file below ``folders`` that may hold a link, in a stable order."""
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file() and p.suffix in _TEXT_SUFFIXES)


def locate(urls: Iterable[str], files: Sequence[Path]) -> dict[str, list[str]]:
    """For each URL, every ``path:line`` where it is written (HTML-escaped ``&`` counts too)."""
    wanted = {url: (url, url.replace("&", "&amp;")) for url in urls}
    found: dict[str, list[str]] = {url: [] for url in wanted}
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for url, forms in wanted.items():
                if any(_written(form, line) for form in forms):
                    found[url].append(f"{display_path(path)}:{number}")
    return found


def _written(url: str, line: str) -> bool:
    """True when ``url`` occurs in ``line`` as a whole address, not as the start of a longer one."""
    start = line.find(url)
    while start != -1:
        end = start + len(url)
        if end == len(line) or line[end] in " \t\"'<>)]},;":
            return True
        start = line.find(url, end)
    return False


def report(broken: Sequence[tuple[str, str]], where: dict[str, list[str]]) -> str:
    """The Markdown body of the issue, or ``""`` when every link answers."""
    if not broken:
        return ""
    count = f"{len(broken)} external link{'' if len(broken) == 1 else 's'}"
    out = [
        f"The nightly link check found {count} that did not answer. Fix each where it is written: "
        "replace it with the page's new address, or with a copy kept by the publisher, or remove it. "
        "A link that works again by the next check drops off this list; the issue closes when none is left.",
        "",
    ]
    for url, reason in sorted(broken):
        out.append(f"- <{url}> ({_inline(reason)})")
        places = where.get(url) or []
        out += [f"  - `{place}`" for place in places]
        if not places:
            out.append("  - not written in the content or templates: the generator makes it (see `content/site.yaml`)")
    return "\n".join(out) + "\n"


def _inline(text: str) -> str:
    """A server's reason as plain text: one line, nothing Markdown would read as markup."""
    return " ".join(text.split()).translate({ord(c): " " for c in "<>[]`*_|"})


@click.command()
@click.option("--output", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("output"))
@click.option("--content", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("content"))
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("templates"))
@click.option("--report", "target", type=click.Path(path_type=Path, dir_okay=False), required=True)
def main(output: Path, content: Path, templates: Path, target: Path) -> None:
    """Request every external link of the built site in OUTPUT; write the Markdown report to
    REPORT (empty when every link answers)."""
    from psp_static import sitecheck  # its HTTP client is needed only here

    broken = sitecheck.broken_external(output)
    where = locate([url for url, _ in broken], sources([content, templates]))
    target.write_text(report(broken, where), encoding="utf-8")
    click.echo(f"{len(broken)} broken external links; report written to {display_path(target)}.")


if __name__ == "__main__":
    main()
