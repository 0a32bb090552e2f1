"""Render pages with Jinja2: autoescaping on, undefined names are errors, not blanks."""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from collections.abc import Callable
from pathlib import Path

import jinja2
from markupsafe import Markup

from psp_static import cite, federal, mailto, routes, usmap
from psp_static.assets import Assets
from psp_static.errors import BuildError, display_path
from psp_static.geomap import SiteMap
from psp_static.model import SiteContent
from psp_static.pages import PageSpec

NAVIGATION = (
    ("sites", "Sites", routes.SITES),
    ("areas", "Core areas", routes.AREAS),
    ("team", "Team", routes.TEAM),
    ("clearinghouse", "Clearinghouse", routes.CLEARINGHOUSE),
    ("news", "Items of interest", routes.NEWS),
    ("about", "About", routes.page("about")),
    ("contact", "Contact", routes.page("contact")),
)
# The pages the header shows differently (as the current page, or without the search field):
# every other page of a section shows its section's header, rendered once.
HEADER_ROUTES = frozenset({routes.HOME, routes.SEARCH, routes.TOOLKIT, *(route for _, _, route in NAVIGATION)})


def long_date(value: str) -> str:
    """``2024-05-01`` becomes ``May 1, 2024`` (the federal content-timeliness format)."""
    day = dt.date.fromisoformat(value)
    return f"{day:%B} {day.day}, {day.year}"


def csp(tiles_url: str, analytics: bool = False) -> str:
    """The Content-Security-Policy: our own files only, plus the map tile host for images, and the
    Digital Analytics Program's hosts only while a federal site has it switched on.

    ``data:`` images are allowed because Leaflet blanks a tile it drops with a data: GIF; an
    image cannot run script, so this widens nothing that matters.
    """
    host = tiles_url.split("/")[2].replace("{s}", "*")
    scripts, connect, images = ["'self'"], ["'self'"], ["'self'", "data:", f"https://{host}"]
    if analytics:
        scripts += federal.DAP_SCRIPT_SOURCES
        connect += federal.DAP_CONNECT_SOURCES
        images += federal.DAP_IMAGE_SOURCES
    return (
        f"default-src 'self'; script-src {' '.join(scripts)}; style-src 'self'; "
        f"img-src {' '.join(images)}; connect-src {' '.join(connect)}; font-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'"
    )


class Renderer:
    """Renders :class:`PageSpec` objects to HTML strings for one site."""

    def __init__(
        self,
        templates: Path,
        site: SiteContent,
        assets: Assets,
        maps: dict[str, SiteMap],
        compiled: jinja2.BytecodeCache | None = None,
    ) -> None:
        self.templates = templates
        self.urls = routes.Urls(site.config.base_url)
        self.site = site
        self.maps = maps
        self.assets = assets
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # templates do not change during a build: no stat per page
            bytecode_cache=compiled,  # templates compiled by an earlier build
        )
        self.env.filters["long_date"] = long_date
        self.env.globals.update(
            site=site,
            config=site.config,
            routes=routes,
            url=self.urls.path,
            absolute=self.urls.absolute,
            asset=self.asset,
            navigation=NAVIGATION,
            header_routes=HEADER_ROUTES,
            csp=csp(site.config.map.tiles, site.config.analytics is not None),
            maps=maps,
            has_asset=self.has_asset,
            albers=usmap.albers_usa,  # where a place sits on the static map, for a site's locator
            mailto=functools.partial(mailto.mailto, site.config.email),  # an e-mail to the site, prefilled
            citation=cite.citation,
            rendered_once=self.fragment,  # the build's RecordedPages renders each once per process
        )

    def asset(self, name: str) -> str:
        try:
            return self.urls.path(self.assets.path(name))
        except KeyError:
            raise BuildError(f"templates refer to a missing asset {name!r}") from None

    def has_asset(self, name: str) -> bool:
        """Whether the asset ``name`` exists (optional files, such as a role's icon)."""
        return name in self.assets.names

    def prepare(self) -> None:
        """Compile every template now, before worker processes fork, so each need not compile its own."""
        for name in self.env.list_templates():
            self.guard(functools.partial(self._compile, name))

    def _compile(self, name: str) -> str:
        return str(self.env.get_template(name))

    def fragment(self, name: str, **context: str | None) -> Markup:
        """The template ``name`` rendered with the globals and ``context`` alone: a part that many
        pages show alike (the footer's links; the header, given the page's section). A template
        places it with an expression on a line of its own, whose newline ends the fragment's last
        line."""
        return Markup(self.env.get_template(name).render(**context).removesuffix("\n"))

    def render(self, spec: PageSpec) -> str:
        """Render one page; template problems become a :class:`BuildError` naming file and line."""
        return self.guard(lambda: self.env.get_template(spec.template).render(page=spec, **spec.context))

    def guard(self, render: Callable[[], str]) -> str:
        try:
            return render()
        except jinja2.TemplateSyntaxError as exc:
            where = display_path(exc.filename or exc.name or "template")
            raise BuildError(f"{where}:{exc.lineno}: {exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise BuildError(f"template not found: {exc.name} (looked in {display_path(self.templates)})") from None
        except (jinja2.UndefinedError, TypeError, AttributeError, KeyError, ValueError) as exc:
            raise BuildError(f"{self._location(exc)}: {exc}") from None

    def _location(self, exc: BaseException) -> str:
        """The innermost template frame of a render error, as ``path:line``."""
        root = str(self.templates.resolve())
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.startswith(root):
                return f"{display_path(frame.filename)}:{frame.lineno}"
        return display_path(self.templates)
