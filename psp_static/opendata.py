"""Open data: the clearinghouse as JSON and CSV, the sites as CSV and GeoJSON.

Each file's columns are declared once, here, with what they mean: the files are written from
the declarations and the data page (``data.html``) describes them from the same list, so no
column can be published undocumented. Lists are JSON arrays, and in CSV one cell with the
items separated by ``; ``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from psp_static import routes
from psp_static.model import Engagement, Site, SiteContent

CLEARINGHOUSE_JSON = "data/clearinghouse.json"
CLEARINGHOUSE_CSV = "data/clearinghouse.csv"
SITES_CSV = "data/sites.csv"
SITES_GEOJSON = "data/sites.geojson"
FILES = (CLEARINGHOUSE_JSON, CLEARINGHOUSE_CSV, SITES_CSV, SITES_GEOJSON)
LIST_SEPARATOR = "; "

Value = str | int | float | None | list[str] | list[dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    value: Callable[[Any, routes.Urls], Value]
    kind: str = "text"  # text, number, list (of text), or records (JSON only; CSV has a summary)


RESOURCE_COLUMNS: tuple[Column, ...] = (
    Column("id", "The resource's permanent number; it never changes or is reused.", lambda r, _: r.id, "number"),
    Column("slug", "The last part of the resource's page address; may change when a title does.", lambda r, _: r.slug),
    Column("title", "The title as published.", lambda r, _: r.title),
    Column("summary", "One or two sentences on what the resource is and who it is for.", lambda r, _: r.summary),
    Column("description", "The longer description, as plain text.", lambda r, _: r.description_text),
    Column("type", "The resource type's code, for example guide.", lambda r, _: r.type.slug),
    Column("type_name", "The resource type's name.", lambda r, _: r.type.name),
    Column("areas", "Codes of the PSP core areas it serves.", lambda r, _: [a.slug for a in r.areas], "list"),
    Column("area_names", "Names of those core areas.", lambda r, _: [a.name for a in r.areas], "list"),
    Column("agency_sizes", "Codes of the agency sizes it suits.", lambda r, _: [z.slug for z in r.agency_sizes],
           "list"),
    Column("agency_size_names", "Names of those agency sizes.", lambda r, _: [s.name for s in r.agency_sizes], "list"),
    Column("author", "Who wrote or made it.", lambda r, _: r.author),
    Column("sponsor", "Code of the federal office that funded or published it.", lambda r, _: r.sponsor.code),
    Column("sponsor_name", "That office's name.", lambda r, _: r.sponsor.name),
    Column("provider", "The organization that provides it.", lambda r, _: r.provider),
    Column("year", "The year it was published.", lambda r, _: r.year, "number"),
    Column("format", "Its format, for example PDF or Web page.", lambda r, _: r.format),
    Column("url", "Where to read it (outside this site); empty when it is not online.", lambda r, _: r.url or ""),
    Column("access", "How to get it when it is not online; otherwise empty.", lambda r, _: r.access),
    Column("added", "The day it was added to the clearinghouse (YYYY-MM-DD).", lambda r, _: r.added),
    Column("reviewed", "The day it was last checked to be current (YYYY-MM-DD); empty when never.",
           lambda r, _: r.reviewed),
    Column("archived", "yes when it is kept for reference only and may be out of date; otherwise no.",
           lambda r, _: "yes" if r.archived else "no"),
    Column("evidence_rating", "Its evidence rating on CrimeSolutions (Effective, Promising, No effects, or Rated on "
           "several outcomes); empty when it has none.", lambda r, _: r.evidence.label if r.evidence else ""),
    Column("evidence_url", "Its CrimeSolutions page, which gives the rating; empty when it has none.",
           lambda r, _: r.evidence.url if r.evidence else ""),
    Column("tags", "Keywords.", lambda r, _: list(r.tags), "list"),
    Column("sites", "Codes of the PSP sites it is about or that used it.", lambda r, _: [s.slug for s in r.sites],
           "list"),
    Column("page_url", "Its page on this site.", lambda r, urls: urls.absolute(routes.resource(r.slug))),
)  # fmt: skip


def _engagement(e: Engagement) -> dict[str, Any]:
    return {
        "cohort": e.cohort.slug, "cohort_name": e.cohort.name, "type": e.type, "type_name": e.type_label,
        "start_year": e.start_year, "end_year": e.end_year, "note": e.note,
    }  # fmt: skip


def _engagements(s: Site, _: routes.Urls) -> list[dict[str, Any]]:
    return [_engagement(e) for e in s.engagements]


SITE_COLUMNS: tuple[Column, ...] = (
    Column("slug", "The site's code: the last part of its page address.", lambda s, _: s.slug),
    Column("name", "The jurisdiction's name.", lambda s, _: s.name),
    Column("state", "Two-letter state code (for a joint site, its first place's).", lambda s, _: s.state),
    Column("kind", "city, county or joint (several places in one engagement).", lambda s, _: s.kind),
    Column("latitude", "Where the site is on the map (for a joint site, its first place).",
           lambda s, _: s.places[0].latitude, "number"),
    Column("longitude", "See latitude.", lambda s, _: s.places[0].longitude, "number"),
    Column("places", "Each city or county of the site, with its state.",
           lambda s, _: [f"{p.name}, {p.state}" for p in s.places], "list"),
    Column("cohorts", "Codes of the PSP cohorts it belongs to.", lambda s, _: [c.slug for c in s.cohorts], "list"),
    Column("cohort_names", "Names of those cohorts.", lambda s, _: [c.name for c in s.cohorts], "list"),
    Column("first_year", "The year its first engagement began.", lambda s, _: s.first_year, "number"),
    Column("engagements", "Each engagement, oldest first: its cohort, type (vrn-pilot, diagnostic, operations or "
           "intensive), first and last year, and a note. In CSV, one line of text per engagement.",
           _engagements, "records"),
    Column("page_url", "Its page on this site.", lambda s, urls: urls.absolute(routes.site(s.slug))),
)  # fmt: skip


# A cell starting with one of these is a formula to a spreadsheet (CSV injection): such text gets
# an apostrophe in front, which spreadsheets read as "this is text" (OWASP's advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Value) -> str | int | float:
    """A value as one CSV cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(_summary(v) if isinstance(v, dict) else v for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _summary(e: dict[str, Any]) -> str:
    """An engagement in a CSV cell: ``2019 cohort: Intensive, 2019–2022``."""
    years = f"{e['start_year']}–{e['end_year'] or ''}"
    return f"{e['cohort_name']}: {e['type_name']}, {years}" + (f" ({e['note']})" if e["note"] else "")


def rows(items: Sequence[Any], columns: Sequence[Column], urls: routes.Urls) -> list[dict[str, Value]]:
    return [{c.name: c.value(item, urls) for c in columns} for item in items]


def to_csv(records: list[dict[str, Value]], columns: Sequence[Column]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow([c.name for c in columns])
    writer.writerows([_cell(r[c.name]) for c in columns] for r in records)
    return out.getvalue()


def to_json(key: str, records: list[dict[str, Value]], site: SiteContent, urls: routes.Urls) -> str:
    """The records under ``key``, one a line: as easy to read and to diff as an indented file, and
    written by json's C encoder (an indented file is written in Python, ten times slower)."""
    head = json.dumps({"title": site.config.title, "described_at": urls.absolute(routes.DATA)}, ensure_ascii=False)
    lines = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    return f"{head[:-1]}, {json.dumps(key)}: [\n{lines}\n]}}\n"


def to_geojson(sites: Sequence[Site], records: list[dict[str, Value]]) -> str:
    """A FeatureCollection (RFC 7946): a Point per site, or a MultiPoint for a joint site's places."""
    features = []
    for s, properties in zip(sites, records, strict=True):
        points = [[p.longitude, p.latitude] for p in s.places]
        geometry = {"type": "Point", "coordinates": points[0]} if len(points) == 1 else {
            "type": "MultiPoint", "coordinates": points}  # fmt: skip
        features.append({"type": "Feature", "id": s.slug, "geometry": geometry, "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1) + "\n"


def outputs(site: SiteContent, urls: routes.Urls) -> list[tuple[str, str]]:
    """The open data files, by their paths in the output."""
    resources = rows(site.resources, RESOURCE_COLUMNS, urls)
    sites = rows(site.sites, SITE_COLUMNS, urls)
    return [
        (CLEARINGHOUSE_JSON, to_json("resources", resources, site, urls)),
        (CLEARINGHOUSE_CSV, to_csv(resources, RESOURCE_COLUMNS)),
        (SITES_CSV, to_csv(sites, SITE_COLUMNS)),
        (SITES_GEOJSON, to_geojson(site.sites, sites)),
    ]
