"""The shape of each kind of content file once its schema has accepted it: one TypedDict per kind.

``loader`` reads files into plain YAML data; ``validation`` holds each to its JSON Schema
(``schemas/*.schema.json``); ``resolve`` then reads that data as the record of its kind (one
``cast`` per file, which the schema, not the cast, makes true), so mypy checks every field it
reads against these declarations. Keep each in step
with its schema: a required field there is a plain key here, an optional one ``NotRequired``.
Values the schemas allow as a number or text (a cohort named 2019, a type slug) are ``Name``.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

Name = str | int  # a slug YAML may read as a number: 2019


class AgencyRecord(TypedDict):
    name: str
    short_name: str
    url: str
    parent: NotRequired[str]


class ContactRecord(TypedDict):
    email: str
    phone: NotRequired[str]
    hours: NotRequired[str]


class MapRecord(TypedDict):
    tiles: str
    attribution: str
    attribution_url: str
    max_zoom: NotRequired[int]


class SecurityRecord(TypedDict):
    email: NotRequired[str]
    expires: str
    issued: str
    languages: NotRequired[list[str]]


class ConfigRecord(TypedDict):
    title: str
    short_title: str
    description: str
    base_url: str
    language: str
    identity: str
    agency: AgencyRecord
    funding_notice: str
    operator: NotRequired[str]
    contact: ContactRecord
    federal: NotRequired[dict[str, Any]]  # the identifier's links, and the analytics and section_508 blocks
    map: MapRecord
    newest_resources: NotRequired[int]
    security: NotRequired[SecurityRecord]
    referrer_policy: NotRequired[str]


class TypeRecord(TypedDict):
    slug: str
    name: str
    plural: str
    description: NotRequired[str]


class SizeRecord(TypedDict):
    slug: str
    name: str
    description: NotRequired[str]


class SponsorRecord(TypedDict):
    code: str
    name: str
    url: NotRequired[str]


class SynonymRecord(TypedDict):
    term: str
    means: list[str]


class ClearinghouseRecord(TypedDict):
    intro: NotRequired[str]
    types: list[TypeRecord]
    agency_sizes: list[SizeRecord]
    sponsors: list[SponsorRecord]
    synonyms: NotRequired[list[SynonymRecord]]


class CitationRecord(TypedDict):
    title: str
    publisher: str
    date: NotRequired[str | int]
    url: str


class AreaRecord(TypedDict):
    name: str
    order: int
    summary: str
    description: str
    sources: NotRequired[list[CitationRecord]]


class CohortRecord(TypedDict):
    name: str
    order: int
    start_year: int
    end_year: NotRequired[int]
    announced: NotRequired[str]
    color: str
    summary: str
    description: NotRequired[str]
    sources: NotRequired[list[CitationRecord]]


class MemberRecord(TypedDict):
    name: str
    abbreviation: str
    url: NotRequired[str]


class RoleRecord(TypedDict):
    name: str
    order: int
    summary: str
    description: NotRequired[str]
    members: NotRequired[list[MemberRecord]]
    sources: NotRequired[list[CitationRecord]]


class PlaceRecord(TypedDict):
    name: str
    state: str
    latitude: NotRequired[float]
    longitude: NotRequired[float]


class EngagementRecord(TypedDict):
    cohort: Name
    type: str
    start_year: int
    end_year: NotRequired[int]
    note: NotRequired[str]


class SiteRecord(TypedDict):
    name: str
    state: str
    kind: str
    latitude: NotRequired[float]
    longitude: NotRequired[float]
    places: NotRequired[list[PlaceRecord]]
    engagements: list[EngagementRecord]
    summary: NotRequired[str]
    sources: NotRequired[list[CitationRecord]]


class EvidenceRecord(TypedDict):
    rating: str
    url: str


class ResourceRecord(TypedDict):
    id: int
    title: str
    summary: str
    description: NotRequired[str]
    type: Name
    areas: list[Name]
    agency_sizes: list[Name]
    author: str
    sponsor: Name
    provider: NotRequired[str]
    year: int
    format: NotRequired[str]
    url: NotRequired[str]
    added: str
    tags: NotRequired[list[str]]
    access: NotRequired[str]
    reviewed: NotRequired[str]
    archived: NotRequired[bool]
    evidence: NotRequired[EvidenceRecord]
    sites: NotRequired[list[Name]]


class PageRecord(TypedDict):
    title: str
    description: str
    updated: str
    nav: NotRequired[bool]
    sources: NotRequired[list[CitationRecord]]


class NewsRecord(TypedDict):
    title: str
    date: str
    end_date: NotRequired[str]
    kind: str
    summary: str
    location: NotRequired[str]
    sites: NotRequired[list[Name]]
    sources: NotRequired[list[CitationRecord]]


class ApproachRecord(TypedDict):
    title: str
    text: str


class HomeRecord(TypedDict):
    title: str
    description: str
    lead: NotRequired[str]
    approach: list[ApproachRecord]
