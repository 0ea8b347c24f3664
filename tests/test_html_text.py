"""HTML pages of reports -> report text: the same graph as the plain-text export.

tests/data/html/ holds hand-written HTML renderings of three of the text fixtures (site header,
navigation, scripts, entities, <strong>Label :</strong> values, lists, sub-headings). Each must
give the graph of its text file, less what depends on the bytes read: the provenance record
(source name and SHA-256) and the source map (line numbers in the text read).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import DATA, REPORTS, assert_isomorphic
from rdflib import Graph, URIRef

from resolis_ld.concepts import load_concepts
from resolis_ld.html_text import text_from_html
from resolis_ld.mapping import graph_from_reports
from resolis_ld.namespaces import DEFAULT_BASE, RESOLIS
from resolis_ld.parse import parse_report

HTML_PAGES = sorted((DATA / "html").glob("*.html"))
CONCEPTS = load_concepts()


def meaningful(graph: Graph) -> Graph:
    """The graph less the provenance record and the source map."""
    kept = Graph()
    for s, p, o in graph:
        if p == RESOLIS.sourceMap or any(isinstance(t, URIRef) and str(t).startswith(DEFAULT_BASE + "source/") for t in (s, o)):
            continue
        kept.add((s, p, o))
    return kept


def graph_of(data: bytes | str, name: str) -> tuple[Graph, list[str]]:
    parsed = parse_report(data, name, CONCEPTS)
    graph, _ = graph_from_reports([parsed.report], CONCEPTS, None, DEFAULT_BASE)
    return graph, [w.message for w in parsed.warnings]


def test_there_are_html_renderings():
    assert len(HTML_PAGES) >= 3


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda path: path.stem)
def test_html_page_gives_the_graph_of_the_text_export(page: Path):
    text_graph, text_warnings = graph_of((REPORTS / f"{page.stem}.txt").read_bytes(), "report.txt")
    html_graph, html_warnings = graph_of(text_from_html(page.read_text("utf-8")), "report.html")
    assert html_warnings == text_warnings
    assert len(text_graph) > 200
    assert_isomorphic(meaningful(html_graph), meaningful(text_graph), f"graph of {page.name}")


def lines(html: str) -> list[str]:
    return text_from_html(html).splitlines()


def test_the_logo_line_is_the_images_alt_text():
    assert lines('<p>x<img src="a.png" alt="Logo Le Temps des Parents">y</p>') == ["x", "Logo Le Temps des Parents", "y"]


def test_an_image_without_alt_gives_no_line():
    assert lines('<p>a</p><img src="deco.png"><img src="x.png" alt=""><p>b</p>') == ["a", "b"]


def test_list_items_are_bullets_and_ordered_items_numbered():
    html = "<ul><li>one</li><li>two<ul><li>inner</li></ul></li></ul><ol start='3'><li>three</li><li>four</li></ol>"
    assert lines(html) == ["  • one", "  • two", "    • inner", "3. three", "4. four"]


def test_entities_and_spaces():
    html = "<p><strong>Budget&nbsp;:</strong>\n   15&nbsp;000&nbsp;&euro; &ndash; the programme&rsquo;s</p>"
    assert lines(html) == ["Budget\u00a0: 15\u00a0000\u00a0€ – the programme’s"]


def test_section_headings_stand_between_blank_lines_and_subheadings_before_their_list():
    html = "<h2>Some heading</h2><p>Text.</p><h3>Sub</h3><ul><li>item</li></ul>"
    assert lines(html) == ["Some heading", "", "Text.", "Sub", "  • item"]


def test_a_known_heading_keeps_a_short_paragraph_from_passing_for_a_heading():
    html = "<h2>Unknown part</h2><p>A short line</p><h2>Background to the programme</h2><p>Text.</p>"
    assert lines(html) == ["Unknown part", "", "A short line", "Background to the programme", "", "Text."]


def test_only_the_main_content_counts():
    html = """<html><head><title>T</title><style>p{}</style></head><body>
      <header><img alt="Site logo"><nav><a>Home</a></nav></header>
      <main><p>Inside</p><script>var x = "<p>no</p>";</script><noscript>no</noscript></main>
      <footer>Outside</footer></body></html>"""
    assert lines(html) == ["Inside"]


def test_without_main_the_body_less_navigation():
    html = "<body><nav><ul><li>Home</li></ul></nav><p>Kept</p><template><p>no</p></template></body>"
    assert lines(html) == ["Kept"]


def test_side_by_side_share_and_download_links_become_chrome_lines():
    html = '<p><a href="#">Share this report</a> | <a href="/pdf">Download the report</a></p>'
    assert lines(html) == ["Share this report", "Download the report"]
    assert lines("<ul><li><a>Partager cette fiche</a></li></ul>") == ["Partager cette fiche"]


def test_br_and_pre():
    assert lines("<p>a<br>b<br/>c</p><pre>x\n  y</pre>") == ["a", "b", "c", "x", "y"]


def test_a_page_that_never_closes_its_head():
    assert lines("<html><head><title>T<body><p>Text</p>") == ["Text"]


def test_broken_markup_does_not_raise():
    assert lines("<p>a <b>b <i>c</p></div></li> d &bogus; <") == ["a b c", "d &bogus; <"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("<>/=\"' &;#abcdehilmnoprstuxy!-\n\t\u00a0•") + [
    "<p>", "</p>", "<li>", "<ul>", "<h2>", "<img alt='Logo x'>", "<script>", "<main>", "</main>", "&nbsp;", "&#x;",
])).map("".join))
def test_any_markup_gives_lines_without_raising(html: str):
    text = text_from_html(html)
    assert text == "" or text.endswith("\n")
    assert "\n\n\n" not in text
