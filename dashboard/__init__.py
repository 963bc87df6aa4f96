"""VTH-monitor, the Streamlit app (docs/architectuur.md): pages in app_pages/, the scoped data
layer in data/, shared components. It reads the published lake only, through the kernel."""

import vthmonitor  # noqa: F401 - sets the allocator's environment before polars is imported
