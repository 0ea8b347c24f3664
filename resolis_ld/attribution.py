"""LICENSE.txt: the attribution CC BY 3.0 asks for, written from the graph.

CC BY 3.0 (section 4b) asks a redistributor to keep the authors' names, the title of each work,
the licence's URI and a credit line for an adaptation; the graph holds all of these, so the text
is derived from it, sorted by report IRI, and is the same whatever the order of the inputs.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

from .authorities import CC_BY_3
from .namespaces import RESOLIS

HEADER = """\
RESOLIS practice reports, as linked open data
=============================================

The data files in this directory are an adaptation of the practice reports published by RESOLIS
in the Journal RESOLIS (https://www.resolis.org/). They are licensed under the Creative Commons
Attribution 3.0 Unported licence (CC BY 3.0): {licence}
(legal code: {licence}legalcode).

Files: {files}.

Attribution: © the authors of the reports listed below, RESOLIS, Journal RESOLIS, CC-BY 3.0.

Changes: the reports' text was converted to RDF by resolis-ld (https://w3id.org/resolis/ns);
its wording is unchanged. Each report in the data keeps its licence, citation and authors.

When you reuse the data, credit "RESOLIS, Journal RESOLIS" and the authors of the reports you
use, link to the licence above, and say whether you changed the data.

Reports ({count}):
"""


def _first(graph: Graph, node: URIRef, predicate: URIRef, language: str | None) -> str:
    """One value, preferring the report's language, then English, then any (sorted)."""
    values = sorted(graph.objects(node, predicate), key=lambda v: (getattr(v, "language", None) != language,
                                                                   getattr(v, "language", None) != "en", str(v)))
    return str(values[0]) if values else ""


# What licence_text reads of the graph (besides the reports' type): a patched build that changes
# none of these keeps LICENSE.txt as it is.
LICENCE_PREDICATES = frozenset({
    DCTERMS.language, FOAF.primaryTopic, DCTERMS.title, DCTERMS.creator, FOAF.name, DCTERMS.issued,
    DCTERMS.bibliographicCitation,
})


def licence_text(data: Graph, files: list[str]) -> str:
    """The text of LICENSE.txt for a build holding ``files``."""
    reports = sorted(data.subjects(RDF.type, RESOLIS.Report))
    lines = [HEADER.format(files=", ".join(files), licence=CC_BY_3, count=len(reports)).rstrip("\n")]
    for report in reports:
        language = _first(data, report, DCTERMS.language, None) or None
        programme = data.value(report, FOAF.primaryTopic)
        title = _first(data, report, DCTERMS.title, language) or _first(data, programme, DCTERMS.title, language)
        authors = sorted(_first(data, person, FOAF.name, None) for person in data.objects(report, DCTERMS.creator))
        year = _first(data, report, DCTERMS.issued, None)
        credit = ", ".join(authors) if authors else "author not named"
        lines.append(f"- «{title}», {credit}, Journal RESOLIS{f' ({year})' if year else ''}, RESOLIS, CC-BY 3.0")
        citation = _first(data, report, DCTERMS.bibliographicCitation, language)
        if citation:
            lines.append(f"  Citation: {citation}")
        lines.append(f"  In the data: <{report}>")
    return "\n".join(lines) + "\n"
