"""VTH-monitor pipelines: from export files to a published DuckDB warehouse."""

import os

# polars allocates through jemalloc, which by default keeps freed pages for a while: loading
# ten yearly files in one process then peaks at the sum of their working sets instead of the
# largest one (3.5 GB instead of ~1.2 GB at scale 10). Return freed memory at once. Must be set
# before polars is first imported, hence here.
os.environ.setdefault(
    "_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:0,muzzy_decay_ms:0"
)
