"""The server's HTML: small functions over one escaping rule.

Every value goes through ``esc`` unless it is already ``Html`` (built here from escaped parts),
and a link is only made for a local path or an http(s) IRI, so nothing in the data can inject
markup or a ``javascript:`` URL. The pages need no script at all (the server says so in its
Content-Security-Policy).
"""

from __future__ import annotations

import html
import json
from urllib.parse import urlencode

from .linkeddata import Value, View
from .query import NamedQuery


class Html(str):
    """Text that is already safe HTML."""


def esc(value: object) -> Html:
    return value if isinstance(value, Html) else Html(html.escape(str(value), quote=True))


def h(template: str, **values: object) -> Html:
    """Fill a template whose every field is escaped (or already Html)."""
    return Html(template.format(**{name: esc(value) for name, value in values.items()}))


def join(parts, separator: str = "") -> Html:
    return Html(separator.join(esc(part) for part in parts))


def safe_href(target: str | None) -> str | None:
    if not target:
        return None
    if target.startswith("/") and not target.startswith("//"):
        return target
    return target if target.lower().startswith(("http://", "https://")) else None


def link(text: object, target: str | None) -> Html:
    href = safe_href(target)
    return h('<a href="{href}">{text}</a>', href=href, text=text) if href else esc(text)


def show(value: Value) -> Html:
    note = h(' <span class="note">{note}</span>', note=value.note) if value.note else Html("")
    return Html(link(value.text, value.link) + note)


STYLE = Html("""
body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.45;color:#222}
header a{margin-right:1rem} dt{font-weight:600;margin-top:.6rem} dd{margin-left:1.5rem}
table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
.note{color:#777;font-size:.85em} .part{border-left:3px solid #ddd;padding-left:.8rem;margin:.3rem 0}
textarea{width:100%;font-family:monospace} footer{margin-top:2rem;border-top:1px solid #ddd;color:#555;font-size:.9em}
pre{background:#f6f6f6;padding:.6rem;overflow:auto}
""")


def layout(title: str, body: Html, attribution: tuple[str, str]) -> bytes:
    rights, licence = attribution
    page = h(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title} · RESOLIS linked data</title><style>{style}</style></head><body>"
        '<header><a href="/">Programmes</a><a href="/sparql">SPARQL</a><a href="/catalog">Catalogue</a></header>'
        "<main>{body}</main>"
        '<footer><p>Data: {rights}. Licence: {licence}. Source: the <em>Journal RESOLIS</em> practice reports, '
        "converted by resolis-ld.</p></footer></body></html>\n",
        title=title, style=STYLE, body=body, rights=rights, licence=link(licence, licence),
    )
    return page.encode("utf-8")


def _property(prop) -> Html:
    values = [h("<dd>{value}</dd>", value=show(value)) for value in prop.values]
    for part in prop.parts:
        inner = join(h("<dt>{label}</dt>{values}", label=p.label, values=join(h("<dd>{v}</dd>", v=show(v)) for v in p.values)) for p in part.properties)
        values.append(h('<dd class="part"><dl>{inner}</dl></dd>', inner=inner))
    return h('<dt title="{iri}">{label}</dt>{values}', iri=prop.iri, label=prop.label, values=join(values))


def resource_page(view: View, alternates: list[tuple[str, str]], attribution: tuple[str, str]) -> bytes:
    types = join((show(t) for t in view.types), ", ")
    inbound = join(h("<li>{label} of {value}</li>", label=label, value=show(value)) for label, value in view.inbound)
    body = h(
        '<h1>{label}</h1><p class="note">{types} · <code>{iri}</code> · {alternates}</p>'
        "{citation}<dl>{properties}</dl>{inbound}",
        label=view.label, types=types, iri=view.iri,
        alternates=join((link(name, href) for name, href in alternates), " · "),
        citation=h('<p class="note">Cite: {c}</p>', c=view.citation) if view.citation else "",
        properties=join(_property(p) for p in view.properties),
        inbound=h("<h2>Referenced by</h2><ul>{items}</ul>", items=inbound) if view.inbound else "",
    )
    return layout(view.label, body, attribution)


def _options(choices: list[str], selected: str | None) -> Html:
    options = [h('<option value="">any</option>')]
    options += [h('<option value="{v}"{s}>{v}</option>', v=c, s=Html(" selected") if c == selected else "") for c in choices]
    return join(options)


def home_page(rows, themes, regions, theme, region, page, page_size, attribution) -> bytes:
    total = len(rows)
    shown = rows[(page - 1) * page_size: page * page_size]
    table = join(
        h("<tr><td>{p}</td><td>{lead}</td><td>{themes}</td><td>{region}</td></tr>",
          p=show(r["programme"]), lead=show(r["lead"]), themes=r["themes"].text, region=r["region"].text)
        for r in shown
    )
    pages = (total + page_size - 1) // page_size
    nav = []
    for number, label in ((page - 1, "previous"), (page + 1, "next")):
        if 1 <= number <= pages:
            query = urlencode({k: v for k, v in (("theme", theme), ("region", region), ("page", number)) if v})
            nav.append(link(label, f"/?{query}"))
    body = h(
        "<h1>RESOLIS programmes</h1>"
        '<form method="get" action="/"><label>Theme <select name="theme">{themes}</select></label> '
        '<label>Region <select name="region">{regions}</select></label> <button type="submit">Search</button></form>'
        '<p id="count">{total} programme(s){where}. Page {page} of {pages}.</p>'
        "<table><thead><tr><th>Programme</th><th>Lead organisation</th><th>Themes</th><th>Region</th></tr></thead>"
        "<tbody>{table}</tbody></table><p>{nav}</p>",
        themes=_options(themes, theme), regions=_options(regions, region), total=total,
        where="".join(f" {x}" for x in (f"on {theme}" if theme else "", f"in {region}" if region else "") if x),
        page=page, pages=max(pages, 1), table=table, nav=join(nav, " · "),
    )
    return layout("Programmes", body, attribution)


def sparql_page(queries: list[NamedQuery], text: str, results: Html, attribution) -> bytes:
    examples = join(
        h('<li>{name}: {description} ({edit}, {run})</li>', name=q.name, description=q.description,
          edit=link("edit", "/sparql?" + urlencode({"example": q.name})),
          run=link("run", "/sparql?" + urlencode({"query": q.text})))
        for q in queries
    )
    body = h(
        "<h1>SPARQL</h1><p>A read-only SPARQL 1.1 endpoint: send <code>query</code> by GET or POST "
        "(results as JSON, XML, CSV or TSV by <code>Accept</code>; CONSTRUCT as Turtle or JSON-LD).</p>"
        '<form method="post" action="/sparql"><textarea name="query" rows="14">{text}</textarea>'
        '<p><button type="submit">Run</button></p></form>{results}<h2>Examples</h2><ul>{examples}</ul>',
        text=text, results=results, examples=examples,
    )
    return layout("SPARQL", body, attribution)


def results_html(media_type: str, body: bytes, local) -> Html:
    """A result the workers gave as SPARQL JSON (a table) or as Turtle (shown as text)."""
    if not media_type.startswith("application/sparql-results+json"):
        return h("<pre>{text}</pre>", text=body.decode("utf-8"))
    document = json.loads(body)
    if "boolean" in document:
        return h('<p id="answer">{answer}</p>', answer="true" if document["boolean"] else "false")
    names = document["head"]["vars"]
    head = join(h("<th>{n}</th>", n=n) for n in names)
    rows = []
    for binding in document["results"]["bindings"]:
        cells = []
        for name in names:
            term = binding.get(name)
            if term is None:
                cells.append(Html("<td></td>"))
            elif term["type"] == "uri":
                cells.append(h("<td>{v}</td>", v=link(term["value"], local(term["value"]) or term["value"])))
            else:
                cells.append(h("<td>{v}</td>", v=term["value"]))
        rows.append(h("<tr>{cells}</tr>", cells=join(cells)))
    return h('<p id="count">{n} row(s)</p><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>',
             n=len(rows), head=head, rows=join(rows))


def message_page(status: int, title: str, message: str, attribution) -> bytes:
    return layout(title, h("<h1>{status} {title}</h1><p>{message}</p>", status=status, title=title, message=message), attribution)
