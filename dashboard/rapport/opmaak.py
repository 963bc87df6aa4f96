"""From the report's content to a PDF: each chart (the app's own Vega-Lite spec) to SVG with
vl-convert (in a worker process, vthmonitor/grafiek_svg.py), then the Typst template
(rapport.typ) typesets it all. No browser and no system libraries; the fonts are the
machine's Liberation Sans or DejaVu Sans, with Typst's own as the fallback (docs/rapport.md,
"Hoe")."""

from __future__ import annotations

import dataclasses
import functools
import json
import threading
from pathlib import Path

import typst

from dashboard.rapport.inhoud import Inhoud
from vthmonitor.grafiek_svg import svg

SJABLOON = Path(__file__).with_name("rapport.typ")
# One compiler per process: it reads the fonts once (a new one per report cost ~0,3 s). Typst's
# compiler is not shared between threads at once (the dashboard may render two reports).
_SLOT = threading.Lock()


@functools.lru_cache(maxsize=1)
def _compiler() -> typst.Compiler:
    return typst.Compiler(str(SJABLOON), root=str(SJABLOON.parent))


def _json(inhoud: Inhoud) -> str:
    """The content as the template's JSON, every chart as SVG (in vl-convert's own worker
    process: vthmonitor/grafiek_svg.py). The specs carry the Dutch locale (charts.dutch)."""
    doc = dataclasses.asdict(inhoud)
    grafieken = [g for sectie in doc["secties"] for g in sectie["grafieken"]]
    for grafiek, tekening in zip(grafieken, svg([g.pop("spec") for g in grafieken]), strict=True):
        grafiek["svg"] = tekening
    return json.dumps(doc, ensure_ascii=False, default=str)


def pdf(inhoud: Inhoud) -> bytes:
    """The report as a tagged PDF (title and language nl in its metadata)."""
    invoer = _json(inhoud)
    with _SLOT:
        # PDF/UA-1: tagged, with title, language and alternative text checked by Typst itself
        return _compiler().compile(
            format="pdf", sys_inputs={"inhoud": invoer}, pdf_standards="ua-1"
        )
