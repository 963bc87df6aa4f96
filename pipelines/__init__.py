"""VTH-monitor pipelines: from export files to a published warehouse (docs/architectuur.md)."""

import vthmonitor  # noqa: F401 - sets the allocator's environment before polars is imported
