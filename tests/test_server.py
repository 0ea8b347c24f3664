"""resolis-ld serve, through real HTTP on a free port: the SPARQL protocol, content negotiation,
Linked Data pages, refusals and limits."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest

from resolis_ld.server import Server, open_site
from resolis_ld.store import load_store

from conftest import REPORT_FILES, serve_site

PROGRAMME = "/id/programme/time-for-parents-training-sessions"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/resolis/ns#Programme> }"
TIMEOUT = 2.0
MAX_RESULTS = 500


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    """The fixtures served on a free port with a short timeout and a small result limit."""
    directory = tmp_path_factory.mktemp("serve")
    (directory / "catalog.ttl").write_text(
        '<https://w3id.org/resolis/id/catalog> a <http://www.w3.org/ns/dcat#Catalog> .\n', encoding="utf-8")
    store, result = load_store([str(p) for p in REPORT_FILES], path=directory / "store")
    assert not result.errors
    del store
    site = open_site(directory / "store", "https://w3id.org/resolis/id/", directory / "catalog.ttl", 2, TIMEOUT, MAX_RESULTS)
    yield from serve_site(site)


def request(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) of a real HTTP request; errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_query(server: str, query: str, accept: str | None = None):
    return request(f"{server}/sparql?{urlencode({'query': query})}", headers={"Accept": accept} if accept else {})


# -- the SPARQL protocol ------------------------------------------------------------------------


def test_get_defaults_to_json(server):
    status, headers, body = get_query(server, COUNT)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "5"


def test_post_form_and_direct_body(server):
    form = urlencode({"query": COUNT}).encode()
    status, _, body = request(f"{server}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "5"
    status, _, body = request(f"{server}/sparql", COUNT.encode(), {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert (status, body) == (200, b"n\r\n5\r\n")


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
])
def test_every_results_format(server, accept, media):
    query = "SELECT ?p ?title WHERE { ?p a <https://w3id.org/resolis/ns#Programme> ; <http://purl.org/dc/terms/title> ?title } ORDER BY ?title"
    status, headers, body = get_query(server, query, accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    assert "Accept" in headers["Vary"]
    text = body.decode("utf-8")
    if "json" in media:
        bindings = json.loads(text)["results"]["bindings"]
        titles = [b["title"]["value"] for b in bindings]
    elif "xml" in media:
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ElementTree.fromstring(body)
        assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["p", "title"]
        titles = [b.find("r:literal", ns).text for b in root.findall("r:results/r:result/r:binding[@name='title']", ns)]
    elif media == "text/csv":
        titles = [row["title"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    else:
        lines = text.splitlines()
        assert lines[0] == "?p\t?title"
        titles = [line.split("\t")[1].rsplit('"@', 1)[0].strip('"') for line in lines[1:]]
    assert len(titles) == 5 and "Time for Parents Training Sessions" in titles


def test_ask_and_construct_negotiate(server):
    status, _, body = get_query(server, "ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER (?s = <https://w3id.org/resolis/id{PROGRAMME[3:]}/budget>) }}"
    status, headers, body = get_query(server, construct)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = ox.Store()
    graph.load(input=body, format=ox.RdfFormat.TURTLE)
    assert len(graph) == 4
    status, headers, body = get_query(server, construct, "application/ld+json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json") and "@graph" in json.loads(body)
    assert get_query(server, construct, "text/csv")[0] == 406


def test_updates_are_refused(server):
    update = "DELETE WHERE { ?s ?p ?o }"
    assert request(f"{server}/sparql", update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    form = urlencode({"update": update}).encode()
    assert request(f"{server}/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    status, _, body = get_query(server, "PREFIX x: <urn:x:> DROP ALL")
    assert status == 403 and b"read-only" in body
    assert request(f"{server}{PROGRAMME}", b"x", method="PUT")[0] == 405
    assert json.loads(get_query(server, COUNT)[2])["results"]["bindings"][0]["n"]["value"] == "5"


def test_bad_requests(server):
    status, _, body = get_query(server, "SELECT ?x WHERE {\n  ?x ?y\n}")
    assert status == 400 and b"line 3, column" in body
    assert request(f"{server}/sparql")[0] == 400
    assert request(f"{server}/sparql", b"query", {"Content-Type": "text/plain"})[0] == 415
    assert get_query(server, COUNT, "image/png")[0] == 406


def test_a_runaway_query_times_out_and_the_server_still_answers(server):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    status, _, body = get_query(server, runaway)
    assert status == 503 and b"timed out after 2 s" in body
    assert time.monotonic() - started < TIMEOUT + 5
    for _ in range(3):  # the killed worker is replaced; the other keeps answering meanwhile
        assert get_query(server, COUNT)[0] == 200


def test_the_result_size_limit(server):
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 400 and f"more than {MAX_RESULTS} rows".encode() in body and b"LIMIT" in body
    assert get_query(server, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_RESULTS}")[0] == 200


# -- Linked Data --------------------------------------------------------------------------------


@pytest.mark.parametrize("accept, suffix, media", [
    ("text/turtle", "", "text/turtle"),
    ("application/ld+json", "", "application/ld+json"),
    ("application/n-triples", "", "application/n-triples"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "", "text/html"),
    (None, ".ttl", "text/turtle"),
    (None, ".jsonld", "application/ld+json"),
    (None, ".nt", "application/n-triples"),
])
def test_resources_dereference(server, accept, suffix, media):
    status, headers, body = request(f"{server}{PROGRAMME}{suffix}", headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    assert "https://w3id.org/resolis/id/programme/time-for-parents-training-sessions" in body.decode("utf-8")


def test_unknown_resources_are_404(server):
    assert request(f"{server}/id/programme/no-such-programme")[0] == 404
    assert request(f"{server}/id/programme/no-such-programme.ttl")[0] == 404
    assert request(f"{server}/elsewhere")[0] == 404


def test_programme_page_shows_budget_funders_licence(server):
    status, headers, body = request(f"{server}{PROGRAMME}", headers={"Accept": "text/html"})
    page = body.decode("utf-8")
    assert "<h1>Time for Parents Training Sessions</h1>" in page
    assert "8640" in page and "CAF77" in page and "Lieusaint town" in page
    assert 'href="/id/organisation/le-temps-des-parents"' in page
    assert "CC-BY 3.0" in page and "http://creativecommons.org/licenses/by/3.0/" in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_home_lists_and_searches(server):
    page = request(f"{server}/", headers={"Accept": "text/html"})[2].decode("utf-8")
    assert "5 programme(s)" in page and "Community Gardens" in page
    page = request(f"{server}/?{urlencode({'theme': 'Education', 'region': 'Île-de-France'})}")[2].decode("utf-8")
    assert "2 programme(s) on Education in Île-de-France" in page and "Community Gardens" not in page


def test_html_escapes_everything(server):
    evil = '<script>alert(1)</script>"'
    page = request(f"{server}/?{urlencode({'theme': evil})}")[2].decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    query = urlencode({"query": 'SELECT ?x WHERE { BIND("<b>x</b>" AS ?x) }'})
    page = request(f"{server}/sparql?{query}", headers={"Accept": "text/html"})[2].decode("utf-8")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_sparql_form_for_browsers(server):
    page = request(f"{server}/sparql", headers={"Accept": "text/html"})[2].decode("utf-8")
    assert "<textarea" in page and "cq01-programmes" in page and "reports-needing-work" in page
    page = request(f"{server}/sparql?example=cq04-programmes-per-solution", headers={"Accept": "text/html"})[2].decode("utf-8")
    assert "COUNT(DISTINCT ?programme)" in page


def test_catalog(server):
    status, headers, body = request(f"{server}/catalog", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and b"dcat#Catalog" in body
    status, headers, body = request(f"{server}/catalog.jsonld")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json") and json.loads(body)["@graph"]


def test_no_catalog_is_404(tmp_path):
    store, _ = load_store([str(REPORT_FILES[0])], path=tmp_path / "store")
    del store
    site = open_site(tmp_path / "store", "https://w3id.org/resolis/id/", tmp_path / "catalog.ttl", 1, TIMEOUT, MAX_RESULTS)
    httpd = Server(site, "127.0.0.1", 0)
    httpd.start()
    try:
        assert request(f"http://127.0.0.1:{httpd.server_address[1]}/catalog")[0] == 404
    finally:
        httpd.shutdown()
        httpd.server_close()
        site.pool.close()
