"""Turn validated content files into the resolved :class:`SiteContent`.

Runs only on content that passed validation, so fields have the right types. It still finds
problems that need the whole picture (Markdown that must not be HTML, places the gazetteer does
not know) and reports them all together.
"""

from __future__ import annotations

import dataclasses
from typing import cast

from markupsafe import Markup

from psp_static import disclosure, federal, gazetteer
from psp_static.clearinghouse import AgencySize, Clearinghouse, Evidence, Resource, ResourceType, Sponsor
from psp_static.errors import ContentError, ContentErrors
from psp_static.loader import Loaded, RawDoc
from psp_static.markup import Location, MarkdownRenderer
from psp_static.model import (
    ApproachItem,
    Area,
    Citation,
    Cohort,
    Engagement,
    Home,
    Member,
    NewsItem,
    Page,
    Place,
    Role,
    Site,
    SiteContent,
)
from psp_static.records import (
    AreaRecord,
    ClearinghouseRecord,
    CohortRecord,
    ConfigRecord,
    HomeRecord,
    NewsRecord,
    PageRecord,
    PlaceRecord,
    ResourceRecord,
    RoleRecord,
    SiteRecord,
)
from psp_static.routes import Urls
from psp_static.site_config import Agency, Config, MapSettings
from psp_static.stage import Each, plainly


class _Resolver:
    def __init__(self, loaded: Loaded, base_url: str | None) -> None:
        self.loaded = loaded
        self.errors: list[ContentError] = []
        config_doc = loaded.of("config")[0]
        self.base_url = _with_slash(base_url or str(config_doc.data["base_url"]))
        self.config = self.make_config(config_doc)
        self.markdown = MarkdownRenderer(Urls(self.base_url).base_path)

    def markdown_texts(self) -> list[str]:
        """Every Markdown field and body :meth:`resolve` will render."""
        found = []
        for doc in self.loaded.docs:
            found += [t for key in MARKDOWN_FIELDS.get(doc.kind, ()) if isinstance(t := doc.data.get(key), str)]
            if doc.body:
                found.append(doc.body)
        return found

    def md(self, doc: RawDoc, key: str) -> Markup:
        """Render the Markdown field ``key`` of ``doc`` (empty when absent)."""
        text = doc.data.get(key)
        if not isinstance(text, str):
            return Markup("")
        html, errors = self.markdown.render(text, lambda: markdown_location(doc, key))
        self.errors.extend(errors)
        return html

    def body(self, doc: RawDoc) -> Markup:
        html, errors = self.markdown.render(doc.body, (doc.path, doc.body_line, 0))
        self.errors.extend(errors)
        return html

    def make_config(self, doc: RawDoc) -> Config:
        d = cast(ConfigRecord, doc.data)
        agency, contact, tiles = d["agency"], d["contact"], d["map"]
        notice = d["funding_notice"]
        return Config(
            title=d["title"],
            short_title=d["short_title"],
            description=d["description"],
            base_url=self.base_url,
            language=d["language"],
            identity=d["identity"],
            agency=Agency(agency["name"], agency["short_name"], agency["url"], agency.get("parent", "")),
            funding_notice=Markup(""),  # rendered once the Markdown renderer knows the base path
            funding_text=" ".join(notice.split()),
            operator=d.get("operator", ""),
            email=contact["email"],
            phone=contact.get("phone", ""),
            hours=contact.get("hours", ""),
            federal_links=federal.links(d),
            map=MapSettings(tiles["tiles"], tiles["attribution"], tiles["attribution_url"], tiles.get("max_zoom", 18)),
            newest_resources=d.get("newest_resources", 6),
            security=disclosure.settings(d),
            referrer_policy=d.get("referrer_policy", "strict-origin-when-cross-origin"),
            analytics=federal.analytics(d),
            section_508=federal.section_508(d),
        )

    def resolve(self) -> SiteContent:
        config_doc = self.loaded.of("config")[0]
        config = dataclasses.replace(self.config, funding_notice=self.md(config_doc, "funding_notice"))
        clearinghouse = self.clearinghouse(self.loaded.of("clearinghouse")[0])
        areas = tuple(sorted(map(self.area, self.loaded.of("area")), key=lambda a: (a.order, a.slug)))
        cohorts = tuple(sorted(map(self.cohort, self.loaded.of("cohort")), key=lambda c: (c.order, c.slug)))
        roles = tuple(sorted(map(self.role, self.loaded.of("role")), key=lambda r: (r.order, r.slug)))
        by_cohort = {c.slug: c for c in cohorts}
        sites = tuple(
            sorted((self.site(d, by_cohort) for d in self.loaded.of("site")), key=lambda s: (s.name, s.state))
        )
        by_site = {s.slug: s for s in sites}
        resources = self.resources(areas, clearinghouse, by_site)
        pages = tuple(self.page(d) for d in self.loaded.of("page"))
        made = (self.news(d, by_site) for d in self.loaded.of("news"))
        news = tuple(sorted(made, key=lambda n: (n.date, n.slug), reverse=True))
        home = self.home(self.loaded.of("home")[0])
        if self.errors:
            raise ContentErrors(self.errors)
        return SiteContent(config, home, clearinghouse, areas, cohorts, roles, sites, resources, pages, news)

    def clearinghouse(self, doc: RawDoc) -> Clearinghouse:
        v = cast(ClearinghouseRecord, doc.data)
        types = tuple(ResourceType(t["slug"], t["name"], t["plural"], t.get("description", "")) for t in v["types"])
        sizes = tuple(AgencySize(s["slug"], s["name"], s.get("description", "")) for s in v["agency_sizes"])
        sponsors = tuple(Sponsor(s["code"], s["name"], s.get("url")) for s in v["sponsors"])
        synonyms = tuple((s["term"], *s["means"]) for s in v.get("synonyms", []))
        return Clearinghouse(self.md(doc, "intro"), types, sizes, sponsors, synonyms)

    def resources(
        self, areas: tuple[Area, ...], clearinghouse: Clearinghouse, sites: dict[str, Site]
    ) -> tuple[Resource, ...]:
        """Every resource, by title (then id), with its names looked up."""
        lookups = (
            {a.slug: a for a in areas},
            {t.slug: t for t in clearinghouse.types},
            {s.slug: s for s in clearinghouse.agency_sizes},
            {s.code: s for s in clearinghouse.sponsors},
        )
        made = (self.resource(d, *lookups, sites) for d in self.loaded.of("resource"))
        return tuple(sorted(made, key=lambda r: (r.title.casefold(), r.id)))

    def area(self, doc: RawDoc) -> Area:
        d = cast(AreaRecord, doc.data)
        return Area(doc.slug, d["name"], d["order"], d["summary"], self.md(doc, "description"), _sources(d))

    def cohort(self, doc: RawDoc) -> Cohort:
        d = cast(CohortRecord, doc.data)
        return Cohort(
            doc.slug, d["name"], d["order"], d["start_year"], d.get("end_year"), d.get("announced"),
            d["color"].lower(), d["summary"], self.md(doc, "description"), _sources(d),
        )  # fmt: skip

    def role(self, doc: RawDoc) -> Role:
        d = cast(RoleRecord, doc.data)
        members = tuple(Member(m["name"], m["abbreviation"], m.get("url")) for m in d.get("members", []))
        return Role(doc.slug, d["name"], d["order"], d["summary"], self.md(doc, "description"), members, _sources(d))

    def site(self, doc: RawDoc, cohorts: dict[str, Cohort]) -> Site:
        d = cast(SiteRecord, doc.data)
        if d["kind"] == "joint":
            places = tuple(self.place(doc, ("places", i), p) for i, p in enumerate(d.get("places", [])))
        else:
            places = (self.place(doc, (), cast(PlaceRecord, d)),)
        engagements = tuple(
            Engagement(cohorts[str(e["cohort"])], e["type"], e["start_year"], e.get("end_year"), e.get("note", ""))
            for e in sorted(d["engagements"], key=lambda e: e["start_year"])
        )
        return Site(
            doc.slug, d["name"], d["state"], d["kind"], places, engagements, self.md(doc, "summary"), _sources(d)
        )

    def place(self, doc: RawDoc, path: tuple[str | int, ...], d: PlaceRecord) -> Place:
        if "latitude" in d and "longitude" in d:
            return Place(d["name"], d["state"], float(d["latitude"]), float(d["longitude"]), looked_up=False)
        found = gazetteer.lookup(d["name"], d["state"])
        if found is None:
            line, col = doc.doc.value_at((*path, "name"))
            self.errors.append(
                ContentError(
                    doc.path, line, col,
                    f"cannot find '{d['name']}, {d['state']}' in the gazetteer; add latitude: and longitude: "
                    "(decimal degrees, for example latitude: 35.15 and longitude: -90.05)",
                )
            )  # fmt: skip
            return Place(d["name"], d["state"], 0.0, 0.0, looked_up=True)
        return Place(d["name"], d["state"], found[0], found[1], looked_up=True)

    def resource(
        self,
        doc: RawDoc,
        areas: dict[str, Area],
        types: dict[str, ResourceType],
        sizes: dict[str, AgencySize],
        sponsors: dict[str, Sponsor],
        sites: dict[str, Site],
    ) -> Resource:
        d = cast(ResourceRecord, doc.data)
        in_areas, wanted = {str(x) for x in d["areas"]}, {str(x) for x in d["agency_sizes"]}
        return Resource(
            id=d["id"],
            slug=doc.slug,
            title=d["title"],
            summary=" ".join(d["summary"].split()),
            description=self.md(doc, "description"),
            description_text=self.markdown.text(d.get("description") or ""),
            type=types[str(d["type"])],
            areas=tuple(a for a in areas.values() if a.slug in in_areas),  # in the areas' order
            agency_sizes=tuple(s for s in sizes.values() if s.slug in wanted),
            author=d["author"],
            sponsor=sponsors[str(d["sponsor"])],
            provider=d.get("provider", ""),
            year=d["year"],
            format=d.get("format", ""),
            url=d.get("url"),
            added=d["added"],
            tags=tuple(d.get("tags", [])),
            sites=tuple(sorted((sites[str(s)] for s in d.get("sites", [])), key=lambda s: (s.name, s.state))),
            access=" ".join(str(d.get("access", "")).split()),
            reviewed=d.get("reviewed", ""),
            archived=d.get("archived", False),
            evidence=Evidence(evidence["rating"], evidence["url"]) if (evidence := d.get("evidence")) else None,
        )

    def page(self, doc: RawDoc) -> Page:
        d = cast(PageRecord, doc.data)
        nav = bool(d.get("nav", False))
        return Page(doc.slug, d["title"], d["description"], d["updated"], nav, self.body(doc), _sources(d))

    def news(self, doc: RawDoc, sites: dict[str, Site]) -> NewsItem:
        d = cast(NewsRecord, doc.data)
        return NewsItem(
            doc.slug, d["title"], d["date"], d.get("end_date"), d["kind"], " ".join(d["summary"].split()),
            d.get("location", ""), tuple(sites[str(s)] for s in d.get("sites", [])), _sources(d), self.body(doc),
        )  # fmt: skip

    def home(self, doc: RawDoc) -> Home:
        d = cast(HomeRecord, doc.data)
        approach = tuple(ApproachItem(a["title"], a["text"]) for a in d["approach"])
        return Home(d["title"], d["description"], d.get("lead", ""), approach, self.body(doc))


# Markdown fields by kind of content file; Markdown files' bodies are rendered too. Listing them
# lets every field be rendered in one batch, on every core, before the model is put together.
MARKDOWN_FIELDS = {
    "config": ("funding_notice",),
    "clearinghouse": ("intro",),
    "area": ("description",),
    "cohort": ("description",),
    "role": ("description",),
    "site": ("summary",),
    "resource": ("description",),
}


def markdown_location(doc: RawDoc, key: str) -> Location:
    """Where the Markdown field ``key`` of ``doc`` was written, for messages."""
    line, col = doc.doc.value_at((key,))
    if (key,) in doc.doc.block_scalars:
        # Text written as ``key: |`` starts on the next line, indented two columns past the key.
        return doc.path, line + 1, doc.doc.key_at((key,))[1] + 1
    return doc.path, line, col - 1


def resolve(loaded: Loaded, base_url: str | None = None, each: Each = plainly) -> SiteContent:
    """Build the site model from validated content; raise :class:`ContentErrors` on problems.

    Every Markdown text is converted first, in one batch through ``each``."""
    resolver = _Resolver(loaded, base_url)
    resolver.markdown.prefetch(resolver.markdown_texts(), each)
    return resolver.resolve()


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _sources(d: AreaRecord | CohortRecord | RoleRecord | SiteRecord | NewsRecord | PageRecord) -> tuple[Citation, ...]:
    return tuple(
        Citation(" ".join(c["title"].split()), c["publisher"], str(c.get("date", "")), c["url"])
        for c in d.get("sources", [])
    )
