"""The ``psp-static`` command line."""

from __future__ import annotations

import collections
import datetime as dt
import json
import logging
import os
import signal
import sys
from pathlib import Path

import click

from psp_static import __version__, loader, outfolder, pipeline, scaffold, validation
from psp_static.errors import ContentError, ContentErrors, display_path
from psp_static.validation import PLACEHOLDER

content_option = click.option(
    "--content", type=click.Path(path_type=Path), default=Path("content"), show_default=True,
    help="Folder with the content files.",
)  # fmt: skip
templates_option = click.option(
    "--templates", type=click.Path(path_type=Path), default=Path("templates"), show_default=True,
    help="Folder with the Jinja2 templates.",
)  # fmt: skip
output_option = click.option(
    "--output", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
    help="Folder to write the site into (replaced in one step when the build succeeds).",
)  # fmt: skip


@click.group()
@click.version_option(__version__, prog_name="psp-static")
@click.option("-v", "--verbose", is_flag=True, help="Show progress details.")
def cli(verbose: bool) -> None:
    """Build the National Public Safety Partnership website from content/."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


@cli.command()
@content_option
@templates_option
@output_option
@click.option("--base-url", help="Published address of the site, e.g. https://example.org/psp/ (default: site.yaml).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--clean", is_flag=True, help="Forget what earlier builds memoised: parse, check and convert everything afresh."
)
def build(content: Path, templates: Path, output: Path, base_url: str | None, strict: bool, clean: bool) -> None:
    """Check the content and build the site into the output folder.

    Pages whose content, templates and settings did not change since the last build are reused
    from it; the result is the same as a clean build's, byte for byte.
    """
    outfolder.check(output, content, templates)
    options = pipeline.Options(content, templates, output, base_url)
    if clean:
        pipeline.clean(options)
    report = pipeline.build(options, strict=strict)
    click.echo(report.summary())


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@content_option
@click.option("--strict", is_flag=True, help="Treat warnings as problems, as pull requests are checked.")
@click.option(
    "--output", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
    help="Also check this built site: internal links, #fragments, asset references, external link format.",
)  # fmt: skip
@click.option("--base-url", help="The base URL the output was built with (default: site.yaml).")
@click.option(
    "--external", is_flag=True, help="With --output: also request every external link (slow; for nightly jobs)."
)
def check(
    files: tuple[Path, ...], content: Path, strict: bool, output: Path | None, base_url: str | None, external: bool
) -> None:
    """Check the content (and optionally a built site); write nothing.

    Name FILES to see only their problems: the whole content is still read, because a file
    refers to others (cohorts, areas, sponsors), but that takes about a second.
    """
    if external and output is None:
        raise click.UsageError("--external needs --output DIR (the built site whose links to check)")
    try:
        site = pipeline.check(pipeline.Options(content=content, base_url=base_url), strict=strict)
    except ContentErrors as exc:
        _report_problems(exc.errors, files)
        site = None
    if files:
        click.echo(f"{_plural(len(files), 'file')} OK: {', '.join(display_path(f) for f in files)}.")
        return
    assert site is not None  # _report_problems raised unless only other files had problems
    click.echo(f"Content OK: {_content_summary(content)}.")
    if output is not None:
        _check_output(output, site.config.base_url, external)


def _check_output(output: Path, base_url: str, external: bool) -> None:
    """`check --output`: the built site's links, fragments, assets and page rules."""
    from psp_static import sitecheck  # its HTML parser and HTTP client are needed only here

    problems = sitecheck.check_output(output, base_url)
    if external:
        problems += sitecheck.check_external(output)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"found {_plural(len(problems), 'problem')} in {output}")
    click.echo(
        f"Output OK in {output}: links, fragments, assets, page policy{'; external links answer' if external else ''}."
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun if count == 1 else 'news items' if noun == 'news item' else noun + 's'}"


def _content_summary(content: Path) -> str:
    """Every file counted: '172 files: 66 sites, ..., and site.yaml, clearinghouse.yaml, home.md'."""
    found = loader.content_files(content)
    counts = collections.Counter(kind.name for kind, _, _ in found if kind.collection)
    nouns = {"news": "news item"}
    parts = [_plural(counts[k.name], nouns.get(k.name, k.name)) for k in loader.KINDS if k.collection]
    singles = [k.location for k in loader.KINDS if not k.collection]
    return f"{_plural(len(found), 'file')}: {', '.join(parts)}, and {', '.join(singles)}"


def _report_problems(errors: list[ContentError], files: tuple[Path, ...]) -> None:
    """Raise the problems found (those of ``files`` only, when named), counted as `check` says it."""
    if files:
        wanted = {f.resolve() for f in files}
        errors = [e for e in errors if Path(e.path).resolve() in wanted]
        if not errors:
            return
    count = len(set(errors))
    them = "it" if count == 1 else "them"
    raise ContentErrors(
        errors, f"found {_plural(count, 'problem')}; fix {them} and run check again (it writes nothing)"
    )


@cli.command()
@content_option
@templates_option
@output_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
    help="Port to listen on, 1 to 65535 (0 picks a free one).",
)  # fmt: skip
@click.option("--cms", "with_cms", is_flag=True,
              help="Also run the content editor's local backend: /admin/ then saves to this working copy.")  # fmt: skip
def serve(content: Path, templates: Path, output: Path, host: str, port: int, with_cms: bool) -> None:
    """Build, serve the site on this computer, and rebuild and reload on every change."""
    from psp_static import serve as preview  # watchfiles is needed only here

    outfolder.check(output, content, templates)
    options = pipeline.Options(content, templates, output)
    if not with_cms:
        preview.serve(options, host, port)
        return
    from psp_static import cms, decap_server

    settings = cms.settings(content)
    if settings is None:
        raise click.UsageError(f"{display_path(content / 'site.yaml')} has no cms block: the site has no editor")
    # A plain `kill` (SIGTERM) ends the preview the way Ctrl-C does, so the local backend is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with decap_server.local_backend(content, settings.local_port) as api:
        click.echo(f"Content editor: open /admin/ on the address below (it saves through {api}).")
        preview.serve(options, host, port)


@cli.command("fmt")
@content_option
@click.option("--check", is_flag=True, help="Change nothing; list the files fmt would change, and fail if any.")
@click.option("--against", default="HEAD", show_default=True,
              help="Git revision whose layout unchanged fields keep (for a pull request: its base).")  # fmt: skip
def fmt(content: Path, check: bool, against: str) -> None:
    """Put content files in the project's YAML style (after the content editor saved them).

    Fields that did not change since AGAINST keep their text exactly; changed ones are written
    the project's way; keys keep their order; every file starts with its schema modeline.
    """
    from psp_static import yamlstyle

    try:
        changed = yamlstyle.format_content(content, against, check=check)
    except ValueError as exc:
        raise click.ClickException(f"{exc}; fix the file, then run psp-static fmt again") from exc
    for path in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {display_path(path)}")
    if check and changed:
        raise click.ClickException(
            f"{len(changed)} content file{'s are' if len(changed) != 1 else ' is'} not in the project's YAML style: "
            f"run `psp-static fmt --against {against}`"
        )
    if not changed:
        click.echo("Content files are in the project's YAML style.")


ENGAGEMENTS = validation.schema("site")["properties"]["engagements"]["items"]["properties"]["type"]["enum"]


@cli.command()
@click.argument("kind", type=click.Choice(scaffold.KINDS))
@click.argument("title")
@content_option
@click.option("--state", help='For a site: its two-letter state code, when the title is only the name ("Tulsa").')
@click.option(
    "--cohort", help="For a site: the cohort it joins, a file name in content/cohorts/ (default: the newest)."
)
@click.option(
    "--engagement", type=click.Choice(ENGAGEMENTS), help="For a site: the kind of engagement (default: intensive).",
)  # fmt: skip
@click.option("--latitude", type=float, help="For a site the gazetteer does not know (counties, small towns).")
@click.option("--longitude", type=float, help="See --latitude.")
def new(
    kind: str, title: str, content: Path, state: str | None, cohort: str | None, engagement: str | None,
    latitude: float | None, longitude: float | None,
) -> None:  # fmt: skip
    """Start a new content file: site ("Name, ST"), resource, page or news ("Title")."""
    flags = {"--state": state, "--cohort": cohort, "--engagement": engagement, "--latitude": latitude}
    site_only = [flag for flag, value in {**flags, "--longitude": longitude}.items() if value is not None]
    if kind != "site" and site_only:
        raise click.UsageError(f"{', '.join(site_only)}: for `new site` only")
    choices = scaffold.SiteChoices(state, cohort, engagement or "intensive", latitude, longitude)
    path = scaffold.create(kind, title, content, dt.date.today(), choices)
    click.echo(f"Created {display_path(path)}. Fill in every '{PLACEHOLDER}', then preview with `make serve`.")
    if kind == "news":
        click.echo(
            f"It is named {path.name}: this year and the title. The name is its web address, so it stays the same "
            "when you change the title or date later; the 'date:' inside the file decides where it is listed."
        )


@cli.command()
@click.argument("old", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("new", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--summary", type=click.Path(path_type=Path, dir_okay=False),
              help="Append the Markdown summary to this file (in GitHub Actions: $GITHUB_STEP_SUMMARY).")  # fmt: skip
@click.option("--screenshots", type=click.Path(path_type=Path, file_okay=False),
              help="Save screenshots of added and changed pages here, at 375 and 1280 px (Chromium).")  # fmt: skip
@click.option("--base-path", default="/", show_default=True, help="The path NEW was built for, e.g. /psp/.")
def changes(old: Path, new: Path, summary: Path | None, screenshots: Path | None, base_path: str) -> None:
    """Say which pages NEW adds, removes and changes against OLD (two built sites), for reviewers."""
    from psp_static import changes as compare  # only the pull-request check runs this

    found = compare.compare(old, new)
    text = compare.summary(found)
    if summary is None:
        click.echo(text, nl=False)
    else:
        with summary.open("a", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(f"Summary of {len(found.shown)} added or changed pages appended to {display_path(summary)}.")
    if screenshots is not None and found.shown:
        made = compare.screenshots(new, found.shown, screenshots, base_path)
        click.echo(f"Saved {len(made)} screenshots in {display_path(screenshots)}.")


@cli.command()
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder to write the schemas into (make schemas: .schemas/).")  # fmt: skip
@content_option
def schema(out: Path, content: Path) -> None:
    """Write the JSON Schemas of the content types, with this site's cohorts, areas, types, sizes,
    sponsors and sites as the values editors' tools offer (VS Code's YAML extension)."""
    from psp_static import editor_schemas

    loaded = loader.load(content)
    if not loaded.docs:
        raise click.ClickException(f"no content found in {display_path(content)}; pass --content DIR")
    out.mkdir(parents=True, exist_ok=True)
    written = editor_schemas.all_live(loaded)
    for name, document in written.items():
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        (out / f"{name}.schema.json").write_text(text, encoding="utf-8")
    click.echo(f"Wrote {len(written)} schemas with the vocabularies of {display_path(content)} to {display_path(out)}.")


def main(args: list[str] | None = None) -> None:
    """Entry point of the console script and ``build.py``."""
    try:
        cli.main(args=args, prog_name="psp-static")
    except SystemExit as done:
        # The process ends here: skip tearing down a large site's objects one by one (half a
        # second at 10,000 resources), as mypy does. Output is flushed first.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(done.code if isinstance(done.code, int) else 1 if done.code else 0)
