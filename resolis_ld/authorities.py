"""The controlled vocabularies DCAT-AP asks for: EU authority tables and IANA media types.

DCAT-AP wants catalogue values from the EU Publications Office's authority tables (country,
data theme, file type, licence) and IANA media types, so that portals can facet on them. Only
the entries we use are listed, each with the labels a catalogue needs: DCAT-AP's shapes require
a skos:prefLabel on every skos:Concept, and an offline catalogue cannot fetch them.
"""

from __future__ import annotations

from rdflib import URIRef

from .text import fold

EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"

COUNTRY_SCHEME = URIRef(f"{EU}country")
THEME_SCHEME = URIRef(f"{EU}data-theme")
FILE_TYPE_SCHEME = URIRef(f"{EU}file-type")
LANGUAGE_SCHEME = URIRef(f"{EU}language")

# The RESOLIS journal publishes programmes from France and French-speaking countries; the
# reports write the country's name in English or French. Keys are folded (text.fold).
COUNTRIES: dict[str, str] = {
    "france": "FRA", "belgium": "BEL", "belgique": "BEL", "switzerland": "CHE", "suisse": "CHE",
    "luxembourg": "LUX", "germany": "DEU", "allemagne": "DEU", "italy": "ITA", "italie": "ITA",
    "spain": "ESP", "espagne": "ESP", "portugal": "PRT", "united kingdom": "GBR",
    "royaume-uni": "GBR", "canada": "CAN", "quebec": "CAN", "morocco": "MAR", "maroc": "MAR",
    "algeria": "DZA", "algerie": "DZA", "tunisia": "TUN", "tunisie": "TUN", "senegal": "SEN",
    "mali": "MLI", "burkina faso": "BFA", "cote d'ivoire": "CIV", "ivory coast": "CIV",
    "cameroon": "CMR", "cameroun": "CMR", "madagascar": "MDG", "haiti": "HTI",
}

# Report languages (BCP 47, as dcterms:language holds them) -> EU language codes.
LANGUAGES = {"en": "ENG", "fr": "FRA"}

# Social programmes for people in need: "Population and society" is the EU data theme that fits.
THEMES: dict[str, tuple[str, str]] = {"SOCI": ("Population and society", "Population et société")}

# Each dump's IANA media type and EU file type. A gzipped dump keeps the media type and file
# type of what it holds and says "gzip" with dcat:compressFormat, as DCAT's examples do.
MEDIA_TYPES = {
    "turtle": "text/turtle", "json-ld": "application/ld+json", "nt": "application/n-triples",
    "nquads": "application/n-quads", "gzip": "application/gzip",
}
FILE_TYPES = {"turtle": "RDF_TURTLE", "json-ld": "JSON_LD", "nt": "RDF_N_TRIPLES", "nquads": "RDF_N_QUADS"}

# CC BY 3.0 as the reports write it, and its entry in the EU licence table (the same licence,
# hence skos:exactMatch) with the ADMS licence type DCAT-AP recommends for dct:type.
CC_BY_3 = URIRef("http://creativecommons.org/licenses/by/3.0/")
EU_CC_BY_3 = URIRef(f"{EU}licence/CC_BY_3_0")
ATTRIBUTION_LICENCE_TYPE = URIRef("http://purl.org/adms/licencetype/Attribution")
LICENCE_TYPE_SCHEME = URIRef("http://purl.org/adms/licencetype/1.0")


def country_iri(label: str) -> URIRef | None:
    """The EU country IRI for a country name as reports write it, or None when not listed."""
    code = COUNTRIES.get(fold(label))
    return URIRef(f"{EU}country/{code}") if code else None


def language_iri(tag: str) -> URIRef | None:
    code = LANGUAGES.get(tag.lower())
    return URIRef(f"{EU}language/{code}") if code else None


def theme_iri(code: str) -> URIRef:
    return URIRef(f"{EU}data-theme/{code}")


def media_type_iri(format_: str) -> URIRef:
    return URIRef(IANA + MEDIA_TYPES[format_])


def file_type_iri(format_: str) -> URIRef:
    return URIRef(f"{EU}file-type/{FILE_TYPES[format_]}")
