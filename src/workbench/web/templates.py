"""Compiled page templates shared by every page a Voilà server renders.

Voilà builds a new nbconvert exporter, hence a new Jinja environment, for each page view, and
Jinja compiles every template of the page again for it: measured with py-spy on the public
server during a room of 200 phones, compiling templates took about 45 % of the server's
process, which is the room's bottleneck (docs/benchmarks.md). Jinja's own answer to that is a
bytecode cache: each template is compiled once per server process and the code is reused while
its source is unchanged (the cache checks the source's checksum).
"""

from __future__ import annotations

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from nbconvert.exporters.templateexporter import TemplateExporter

__all__ = ["MemoryBytecodeCache", "share_compiled_templates"]


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in this process's memory, one entry per template and dialect.

    The code Jinja generates depends on the environment (async rendering, extensions), so the
    key includes them: two differently configured environments never share code.
    """

    def __init__(self) -> None:
        self._codes: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        dialect = f"{environment.is_async}:{','.join(sorted(environment.extensions))}"
        bucket = Bucket(environment, f"{dialect}:{self.get_cache_key(name, filename)}",
                        self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # reset by Jinja if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._codes[bucket.key] = bucket.bytecode_to_string()


_CACHE = MemoryBytecodeCache()


def share_compiled_templates() -> None:
    """Give every nbconvert exporter of this process the same bytecode cache (idempotent)."""
    create = TemplateExporter._create_environment
    if getattr(create, "shares_compiled_templates", False):
        return

    def create_environment(self: TemplateExporter) -> Environment:
        environment = create(self)
        environment.bytecode_cache = _CACHE
        return environment

    create_environment.shares_compiled_templates = True  # type: ignore[attr-defined]
    TemplateExporter._create_environment = create_environment  # type: ignore[method-assign]
