"""VTH-monitor's kernel: settings, the lake, the SQL workbench and the CLI (docs/architectuur.md).

`pipelines` (ingest and build) and `dashboard` (the app) both build on this package and never on
each other; only `vthmonitor.cli`, the composition root, imports both.
"""

import os

# polars allocates through jemalloc, which by default keeps freed pages for a while: loading
# ten yearly files in one process then peaks at the sum of their working sets instead of the
# largest one (3.5 GB instead of ~1.2 GB at scale 10). Return freed memory at once. Must be set
# before polars is first imported: every package imports this one first.
os.environ.setdefault(
    "_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:0,muzzy_decay_ms:0"
)
