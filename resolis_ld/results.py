"""Query results -> bytes: the W3C SPARQL 1.1 results formats, an aligned table, Turtle and JSON-LD.

Written here rather than with Oxigraph's serialisers because the server must stop at a size
limit before serialising, and because Oxigraph's results cannot be rebuilt from stored rows.
JSON follows https://www.w3.org/TR/sparql11-results-json/, XML
https://www.w3.org/TR/rdf-sparql-XMLres/, CSV and TSV https://www.w3.org/TR/sparql11-results-csv-tsv/.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .namespaces import DEFAULT_BASE, PREFIXES
from .query import QueryResult

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# format name -> media type; the first of each list is the default for that kind of result
SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
}
ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml", "application/x-turtle": "turtle"}


def _literal_parts(term: ox.Literal) -> tuple[str | None, str | None]:
    """(language, datatype) as the results formats want them: no datatype for plain strings."""
    if term.language:
        return term.language, None
    datatype = term.datatype.value
    return None, (None if datatype in (XSD_STRING, RDF_LANG_STRING) else datatype)


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        language, datatype = _literal_parts(term)
        value = {"type": "literal", "value": term.value}
        if language:
            value["xml:lang"] = language
        if datatype:
            value["datatype"] = datatype
        return value
    return {"type": "triple", "value": str(term)}


def format_json(result: QueryResult) -> bytes:
    if result.kind == "ask":
        document = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [
            {name: term_json(term) for name, term in zip(result.variables, row) if term is not None}
            for row in result.rows
        ]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _term_xml(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    language, datatype = _literal_parts(term)
    attributes = (f" xml:lang={quoteattr(language)}" if language else "") + (f" datatype={quoteattr(datatype)}" if datatype else "")
    return f"<literal{attributes}>{escape(term.value)}</literal>"


def format_xml(result: QueryResult) -> bytes:
    lines = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    lines += [f"    <variable name={quoteattr(name)}/>" for name in result.variables]
    lines.append("  </head>")
    if result.kind == "ask":
        lines.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        lines.append("  <results>")
        for row in result.rows:
            lines.append("    <result>")
            for name, term in zip(result.variables, row):
                if term is not None:
                    lines.append(f"      <binding name={quoteattr(name)}>{_term_xml(term)}</binding>")
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _plain(term) -> str:
    """A term's CSV value: an IRI or a literal's lexical form, a blank node as _:label."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def format_csv(result: QueryResult) -> bytes:
    """CSV with CRLF line ends, as RFC 4180 and the W3C note say; ASK gives one "true"/"false"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
    else:
        writer.writerow(result.variables)
        writer.writerows([_plain(term) for term in row] for row in result.rows)
    return buffer.getvalue().encode("utf-8")


def format_tsv(result: QueryResult) -> bytes:
    """TSV: ?-prefixed header, terms in Turtle/N-Triples syntax (so tabs and newlines are escaped)."""
    if result.kind == "ask":
        return f"?boolean\n{'true' if result.boolean else 'false'}\n".encode("utf-8")
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def short_iri(iri: str, base: str = DEFAULT_BASE) -> str:
    """``data:programme/x`` for the data's IRIs, ``dcterms:title`` for the vocabularies'."""
    if iri.startswith(base):
        return f"data:{iri[len(base):]}"
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and iri != str(namespace):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def format_table(result: QueryResult, base: str = DEFAULT_BASE, width: int = 60) -> bytes:
    """Columns aligned for a terminal; IRIs shortened, long values cut with "…", a row count."""
    if result.kind == "ask":
        return b"true\n" if result.boolean else b"false\n"

    def cell(term) -> str:
        if term is None:
            return ""
        text = short_iri(term.value, base) if isinstance(term, ox.NamedNode) else _plain(term)
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = [[cell(term) for term in row] for row in result.rows]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(result.variables)]

    def line(values: list[str]) -> str:
        return "  ".join(value.ljust(w) for value, w in zip(values, widths)).rstrip()

    lines = [line(result.variables), line(["-" * w for w in widths])] + [line(row) for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sorted_triples(result: QueryResult) -> list[ox.Triple]:
    return sorted(set(result.triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def format_turtle(result: QueryResult) -> bytes:
    """Turtle with our prefixes; the data's IRIs stay whole, as in the dumps (their slugs hold
    "/", which a prefixed name would have to escape)."""
    prefixes = {prefix: str(PREFIXES[prefix]) for prefix in sorted(PREFIXES)}
    return ox.serialize(_sorted_triples(result), format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def format_ntriples(result: QueryResult) -> bytes:
    return ox.serialize(_sorted_triples(result), format=ox.RdfFormat.N_TRIPLES)


def format_jsonld(result: QueryResult) -> bytes:
    """JSON-LD compacted with the project's context, like the dumps (through rdflib)."""
    from rdflib import Graph

    from .serialize import serialize

    graph = Graph().parse(data=format_ntriples(result).decode("utf-8"), format="nt")
    return serialize(graph, "json-ld")


FORMATTERS = {
    "json": format_json, "xml": format_xml, "csv": format_csv, "tsv": format_tsv,
    "turtle": format_turtle, "json-ld": format_jsonld, "nt": format_ntriples,
}


def format_result(result: QueryResult, format_: str) -> bytes:
    return FORMATTERS[format_](result)


# -- content negotiation ------------------------------------------------------------------------


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``Accept`` -> (media type, q) pairs, best first; a missing header accepts anything."""
    ranges = []
    for index, part in enumerate((header or "*/*").split(",")):
        pieces = [piece.strip() for piece in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality, index))
    return [(media, quality) for media, quality, _ in sorted(ranges, key=lambda r: (-r[1], r[2]))]


def _specificity(media_range: str, offer: str) -> int:
    if media_range == offer:
        return 2
    if media_range == offer.split("/")[0] + "/*":
        return 1
    return 0 if media_range == "*/*" else -1


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers. Each offer takes the quality of the most
    specific range that matches it; ties go to the more explicit match, then to the order of
    ``offers`` (the server's preference). None when the client accepts none of them."""
    ranges = parse_accept(header)
    best: tuple | None = None
    for rank, offer in enumerate(offers):
        matches = [(_specificity(media, offer), quality) for media, quality in ranges]
        matches = [match for match in matches if match[0] >= 0]
        if not matches:
            continue
        specificity, quality = max(matches, key=lambda match: match[0])
        key = (quality, specificity, -rank)
        if quality > 0 and (best is None or key > best[0]):
            best = (key, offer)
    return best[1] if best else None


SELECT_OFFERS = list(SOLUTION_FORMATS.values()) + ["application/json", "application/xml", "text/xml"]
GRAPH_OFFERS = list(GRAPH_FORMATS.values()) + ["application/json", "application/x-turtle"]
FORMAT_OF_MEDIA = {media: name for name, media in (SOLUTION_FORMATS | GRAPH_FORMATS).items()} | ALIASES


def negotiate_result(header: str | None, kind: str) -> tuple[str, str] | None:
    """(format name, media type) for a result of this kind, or None (406)."""
    offers = GRAPH_OFFERS if kind == "graph" else SELECT_OFFERS
    media = negotiate(header, offers)
    if media is None:
        return None
    name = FORMAT_OF_MEDIA[media]
    if kind == "graph" and media == "application/json":
        name = "json-ld"
    return name, media
