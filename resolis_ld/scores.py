"""How complete a report is: the weighted share of the template's fields it fills.

Weights say how much a field matters to a reader of the report: what identifies and sums up the
programme counts 3, what a funder or a researcher looks for first counts 2, the rest 1. The
score is the sum of the weights of the filled fields over the sum of all weights.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF

from .namespaces import RESOLIS, SCHEMA
from .ntriples import nt_term
from .triple_index import TripleIndex

# (field, weight, whose, properties any of which fills it); whose: report, programme or lead.
FIELDS: list[tuple[str, int, str, tuple[URIRef, ...]]] = [
    ("title", 3, "programme", (DCTERMS.title,)),
    ("summary", 3, "programme", (DCTERMS.abstract,)),
    ("lead organisation", 3, "programme", (RESOLIS.leadOrganisation,)),
    ("licence", 2, "report", (DCTERMS.license,)),
    ("start date", 2, "programme", (SCHEMA.startDate, RESOLIS.startDateText)),
    ("budget", 2, "programme", (RESOLIS.budget,)),
    ("funding", 2, "programme", (RESOLIS.fundingSource,)),
    ("objectives", 2, "programme", (RESOLIS.objective,)),
    ("actions", 2, "programme", (RESOLIS.action,)),
    ("results", 2, "programme", (RESOLIS.result,)),
    ("implementation site", 1, "programme", (RESOLIS.implementationSite,)),
    ("country", 1, "programme", (RESOLIS.country,)),
    ("region", 1, "programme", (RESOLIS.region,)),
    ("solutions", 1, "programme", (RESOLIS.solution,)),
    ("domains", 1, "programme", (RESOLIS.domain,)),
    ("beneficiaries", 1, "programme", (RESOLIS.beneficiary,)),
    ("participant types", 1, "programme", (RESOLIS.participantType,)),
    ("stature", 1, "programme", (RESOLIS.stature,)),
    ("background", 1, "programme", (RESOLIS.background,)),
    ("original characteristics", 1, "programme", (RESOLIS.originality,)),
    ("partnerships", 1, "programme", (RESOLIS.partnership,)),
    ("difficulties", 1, "programme", (RESOLIS.difficulty,)),
    ("remedies", 1, "programme", (RESOLIS.remedy,)),
    ("suggestions", 1, "programme", (RESOLIS.suggestion,)),
    ("success factors", 1, "programme", (RESOLIS.successFactor,)),
    ("further reading", 1, "programme", (RESOLIS.furtherReading,)),
    ("organisation address", 1, "lead", (SCHEMA.address,)),
    ("organisation staff", 1, "lead", (
        RESOLIS.employeeCount, RESOLIS.volunteerCount, RESOLIS.memberCount,
        RESOLIS.employeeCountText, RESOLIS.volunteerCountText, RESOLIS.memberCountText,
    )),
    ("author", 1, "report", (DCTERMS.creator,)),
    ("collection", 1, "report", (DCTERMS.isPartOf,)),
    ("proofreading date", 1, "report", (RESOLIS.proofreadingDate, RESOLIS.proofreadingDateText)),
    ("committee opinion", 1, "report", (RESOLIS.committeeOpinion,)),
]
TOTAL_WEIGHT = sum(weight for _, weight, _, _ in FIELDS)


_FIELD_TERMS = [(name, whose, [nt_term(prop) for prop in properties]) for name, _, whose, properties in FIELDS]


def missing_fields(data: Graph | TripleIndex, report: URIRef) -> list[str]:
    """The template's fields the report leaves empty."""
    data = TripleIndex.of(data)
    programme = data.value(report, FOAF.primaryTopic)
    lead = data.value(programme, RESOLIS.leadOrganisation) if programme is not None else None
    owners = {"report": report, "programme": programme, "lead": lead}
    # What each of the three has, looked up once: the fields ask 32 questions of them.
    has = {whose: data.spo.get(nt_term(node), {}) if node is not None else {} for whose, node in owners.items()}
    return [
        name for name, whose, properties in _FIELD_TERMS if not any(prop in has[whose] for prop in properties)
    ]


def completeness(data: Graph | TripleIndex, report: URIRef) -> float:
    """The weighted share of fields filled, from 0.0 to 1.0, rounded to 3 decimals."""
    missing = set(missing_fields(data, report))
    filled = sum(weight for name, weight, _, _ in FIELDS if name not in missing)
    return round(filled / TOTAL_WEIGHT, 3)
