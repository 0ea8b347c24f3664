"""Byte-stable output: the same reports give the same bytes, whatever their order or names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import PROV, RDFS

from resolis_ld.pipeline import convert
from resolis_ld.resources import resource
from resolis_ld.serialize import FORMATS, serialize

from conftest import REPORT_FILES, assert_isomorphic

PARSERS = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld"}


def dumps(graph: Graph) -> dict[str, bytes]:
    return {format: serialize(graph, format) for format in FORMATS}


def test_same_bytes_whatever_the_order_of_the_inputs():
    names = [str(path) for path in REPORT_FILES]
    forward = dumps(convert(names).graph)
    backward = dumps(convert(names[::-1]).graph)
    assert forward == backward


def test_only_the_provenance_record_depends_on_file_names(tmp_path: Path):
    for index, path in enumerate(REPORT_FILES[::-1]):
        shutil.copy(path, tmp_path / f"renamed-{index}.txt")
    original = convert([str(path) for path in REPORT_FILES]).graph
    renamed = convert([str(tmp_path)]).graph
    for graph in (original, renamed):
        for source in list(graph.subjects(None, PROV.Entity)):
            graph.remove((source, RDFS.label, None))
    assert dumps(original) == dumps(renamed)


def test_same_bytes_across_python_hash_seeds(tmp_path: Path):
    """Set and dict order in Python depends on PYTHONHASHSEED: the output must not."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        names = [str(path) for path in REPORT_FILES]
        subprocess.run(
            [sys.executable, "-m", "resolis_ld", "-q", "convert", *names, "-o", str(out / "r.ttl")],
            check=True, env=env,
        )
        subprocess.run(
            [sys.executable, "-m", "resolis_ld", "-q", "convert", *names, "-o", str(out / "r.jsonld")],
            check=True, env=env,
        )
        outputs.append(((out / "r.ttl").read_bytes(), (out / "r.jsonld").read_bytes()))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("format", list(FORMATS))
def test_every_format_reads_back_to_the_same_graph(format: str):
    graph = convert([str(path) for path in REPORT_FILES]).graph
    data = serialize(graph, format)
    assert data.endswith(b"\n")
    assert_isomorphic(Graph().parse(data=data, format=PARSERS[format]), graph, f"{format} dump")


def test_jsonld_embeds_the_shipped_context():
    graph = convert([str(REPORT_FILES[0])]).graph
    document = json.loads(serialize(graph, "json-ld"))
    shipped = json.loads(resource("ontology", "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert document["@context"] == shipped
    assert {node["@type"] for node in document["@graph"] if node.get("@type") == "Programme"} == {"Programme"}


def test_turtle_binds_our_prefixes():
    data = serialize(convert([str(REPORT_FILES[0])]).graph, "turtle").decode("utf-8")
    for prefix in ("resolis", "dcterms", "schema", "skos", "foaf", "prov"):
        assert f"@prefix {prefix}: " in data
