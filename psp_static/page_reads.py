"""Pages rendered again only when something they read has changed.

While a page renders, what it reads from outside its own :class:`PageSpec` is recorded: which
templates it uses, which of the site's attributes (``site.pages``, ``site.resources_in``...),
which assets by name, which maps. The page's :class:`Note` keeps that list with a digest of what
each read gave, beside a digest of the spec itself and of the settings every page sees.
On the next build the writer (:mod:`psp_static.writer`) asks :meth:`PageFile.current` whether
the file it already holds was made from a note that still holds: the same spec and settings,
and every recorded read (templates included) giving the same value today. Only then is the page not
rendered again. Nothing is declared by hand, so no dependency can be forgotten: a read the
templates gain is recorded the first time it happens.

A site attribute that is a field of :class:`SiteContent` is compared by its value. Methods and
properties run on the recording proxy, so what they read is noted the same way; anything else
(a cached listing such as ``related``) is compared by the whole site's value, all it may look at.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import io
import pickle
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from psp_static import clearinghouse, model, site_config
from psp_static.hashing import digest
from psp_static.model import SiteContent
from psp_static.pages import PageSpec
from psp_static.render import Renderer

FIELDS = frozenset(field.name for field in dataclasses.fields(SiteContent))


# The content's records: each digested once, and known by that digest inside the values holding it.
MODEL = frozenset(
    kind
    for module in (model, clearinghouse, site_config)
    for kind in vars(module).values()
    if isinstance(kind, type) and dataclasses.is_dataclass(kind) and kind.__module__ == module.__name__
)


class Digests:
    """Digests of values by their pickles, for one build: equal values pickle to equal bytes. The
    content's records inside a value count by their own digests, each worked out once (a resource
    shown on six pages is pickled once, not six times)."""

    def __init__(self) -> None:
        self._records: dict[int, tuple[object, str]] = {}  # id -> (the record, kept so the id stays its; digest)

    def of(self, value: object) -> str:
        out = io.BytesIO()
        _Pickler(out, value, self).dump(value)
        return digest(out.getvalue())

    def record(self, record: object) -> str:
        known = self._records.get(id(record))
        if known is None:
            known = self._records[id(record)] = (record, self.of(record))
        return known[1]


class _Pickler(pickle.Pickler):
    """Pickles the content's records inside a value by their digests, and functions (the open
    data columns' getters) by where they are and their code: our code is part of every page's
    inputs already (the generator key)."""

    def __init__(self, out: io.BytesIO, root: object, digests: Digests) -> None:
        super().__init__(out, pickle.HIGHEST_PROTOCOL)
        self.root = root
        self.digests = digests

    def persistent_id(self, obj: object) -> str | None:
        if type(obj) in MODEL and obj is not self.root:
            return self.digests.record(obj)
        return None

    def reducer_override(self, obj: object) -> Any:  # a reduce tuple, or NotImplemented
        if isinstance(obj, types.FunctionType):
            code = obj.__code__
            return str, (f"{obj.__module__}.{obj.__qualname__}:{code.co_firstlineno}:{code.co_code.hex()}",)
        return NotImplemented


@dataclasses.dataclass(frozen=True)
class Note:
    """What a page was made from: its inputs' digest, what it read, and the digest of what those
    reads gave."""

    inputs: str
    reads: tuple[tuple[str, str], ...]  # (kind, name): ("site", "pages"), ("asset", "css/site.css")...
    seen: str


class Recorder:
    """Collects the reads of the page being rendered (one page at a time in each process)."""

    def __init__(self) -> None:
        self.reads: dict[tuple[str, str], None] = {}

    def note(self, kind: str, name: str) -> None:
        self.reads[(kind, name)] = None

    def take(self) -> tuple[tuple[str, str], ...]:
        reads, self.reads = tuple(sorted(self.reads)), {}
        return reads

    @contextlib.contextmanager
    def apart(self) -> Iterator[dict[tuple[str, str], None]]:
        """Collect the reads made inside the block in a dict of their own (yielded, complete once
        the block is left), while the page's reads still get them too."""
        outer, self.reads = self.reads, {}
        captured = self.reads
        try:
            yield captured
        finally:
            self.reads = outer
            outer.update(captured)


class RecordedSite:
    """The site as templates see it: every attribute read is noted."""

    def __init__(self, site: SiteContent, recorder: Recorder) -> None:
        self._site = site
        self._recorder = recorder

    def __getattr__(self, name: str) -> Any:
        found = inspect.getattr_static(type(self._site), name, None)
        if isinstance(found, types.FunctionType):
            return found.__get__(self)  # a method, run on this proxy: what it reads is noted
        if isinstance(found, property) and found.fget:
            return found.fget(self)
        self._recorder.note("site", name)
        return getattr(self._site, name)


class RecordedMaps(Mapping[str, Any]):
    """The maps by name as templates see them: every map looked up is noted."""

    def __init__(self, maps: Mapping[str, Any], recorder: Recorder) -> None:
        self._maps = maps
        self._recorder = recorder

    def __getitem__(self, name: str) -> Any:
        self._recorder.note("map", name)
        return self._maps[name]

    def __iter__(self) -> Any:
        self._recorder.note("map", "*")
        return iter(self._maps)

    def __len__(self) -> int:
        self._recorder.note("map", "*")
        return len(self._maps)


class RecordedPages:
    """Renders pages through ``renderer`` with every outside read recorded, and says whether a
    page's note still holds."""

    def __init__(self, renderer: Renderer, generator: str) -> None:
        self.renderer = renderer
        self.site = renderer.site
        self.maps = renderer.maps
        self.recorder = Recorder()
        self.digests = Digests()
        self._reads: dict[str, Callable[[str], object]] = {
            "site": self._site_value,
            "map": lambda name: dict(self.maps) if name == "*" else self.maps.get(name),
            "asset": renderer.assets.names.get,  # None for a missing one, which the page reports
            "has_asset": renderer.has_asset,
            "template": self._template_source,
        }
        load = renderer.env.get_template

        def loading(name: str | jinja2.Template, parent: str | None = None, globals: Any = None) -> jinja2.Template:
            if isinstance(name, str):
                self.recorder.note("template", name)
            return load(name, parent, globals)

        # Every template a page uses (its own, what it extends, includes, imports) is loaded
        # through this: a template edit renders again only the pages that use that template.
        renderer.env.get_template = loading  # type: ignore[method-assign] # Jinja has no hook for loads
        renderer.env.globals.update(
            site=RecordedSite(self.site, self.recorder),
            maps=RecordedMaps(self.maps, self.recorder),
            asset=self._recording("asset", renderer.asset),
            has_asset=self._recording("has_asset", renderer.has_asset),
            rendered_once=self._rendered_once,
        )
        # (name, its context) -> (HTML, its reads)
        self._once: dict[tuple[object, ...], tuple[Markup, tuple[tuple[str, str], ...]]] = {}
        # What every page sees besides its spec and its reads: our code and libraries, and the
        # settings in the templates' globals.
        shown = {k: v for k, v in renderer.env.globals.items() if k in ("config", "navigation", "csp")}
        self.fixed = digest(generator, self.digests.of(shown))

    def prepare(self) -> None:
        """Compile the templates and digest the site's fields now, before rendering may fork
        workers, so that each need not do it again."""
        self.renderer.prepare()
        for name in sorted(FIELDS):
            self._value("site", name)

    def _recording(self, kind: str, call: Callable[[str], Any]) -> Callable[[str], Any]:
        def recorded(name: str) -> Any:
            self.recorder.note(kind, name)
            return call(name)

        return recorded

    def _rendered_once(self, name: str, **context: str | None) -> Markup:
        """:meth:`Renderer.fragment`, rendered once per process for each ``context``; each later
        page that shows it notes the reads it made, as if it had rendered it itself. The footer,
        the same on every page, was an eighth of the pages' rendering time; the header, the same
        across a section, a twelfth."""
        key = (name, *sorted(context.items()))
        found = self._once.get(key)
        if found is None:
            with self.recorder.apart() as reads:
                html = self.renderer.fragment(name, **context)
            found = self._once[key] = (html, tuple(reads))
        else:
            for read in found[1]:
                self.recorder.note(*read)
        return found[0]

    def inputs(self, spec: PageSpec) -> str:
        return digest(self.fixed, self.digests.of(spec))

    def render(self, spec: PageSpec) -> tuple[str, Note]:
        """The page's HTML, and the note of what it was made from."""
        self.recorder.take()
        html = self.renderer.render(spec)
        reads = self.recorder.take()
        return html, Note(self.inputs(spec), reads, self.seen(reads))

    def seen(self, reads: Iterable[tuple[str, str]]) -> str:
        """A digest of what ``reads`` give in this build."""
        return digest(*(f"{kind}\x1f{name}\x1f{self._value(kind, name)}" for kind, name in reads))

    @functools.cache  # noqa: B019 - one instance a build, kept to its end
    def _value(self, kind: str, name: str) -> str:
        read = self._reads.get(kind)
        return "" if read is None else self.digests.of(read(name))

    def _template_source(self, name: str) -> str | None:
        """A template's text as it is now; None once it is gone (rendering then reports it)."""
        env = self.renderer.env
        try:
            return env.loader.get_source(env, name)[0] if env.loader else None
        except jinja2.TemplateNotFound:
            return None

    def _site_value(self, name: str) -> object:
        if name in FIELDS:
            return getattr(self.site, name)
        return [self._value("site", field) for field in sorted(FIELDS)]  # a method may look at it all


@dataclasses.dataclass(frozen=True)
class PageFile:
    """One page as the writer sees it: made with its note, and current while its note holds."""

    spec: PageSpec
    pages: RecordedPages

    def make(self) -> tuple[str, Note]:
        return self.pages.render(self.spec)

    def current(self, note: object) -> bool:
        """Whether a file made with ``note`` is what rendering this page now would give."""
        return (
            isinstance(note, Note)
            and note.inputs == self.pages.inputs(self.spec)
            and note.seen == self.pages.seen(note.reads)
        )
