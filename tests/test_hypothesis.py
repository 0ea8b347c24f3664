"""Properties: the parser never fails but with ParseError; parse -> render -> parse is stable."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolis_ld import labels as L
from resolis_ld.errors import ParseError
from resolis_ld.parse import parse_report
from resolis_ld.render import render_report
from resolis_ld.text import _SPACES, clean

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000)))
def test_any_input_gives_a_report_or_a_parse_error(data: bytes | str):
    try:
        parse_report(data, "fuzz.txt")
    except ParseError:
        pass


# Report-like texts: the template's lines in order, some missing, with random words, bullets,
# spacing and line ends, and sections holding paragraphs, items and sub-headings.
words = st.sampled_from(
    "the parents school training volunteers Lyon 2012 results (ASEA) association, social ; "
    "élèves numérique œuvre » « : - 15 000 € k€ and et".split()
)
phrase = st.lists(words, min_size=1, max_size=14).map(" ".join)
sentence = st.builds(lambda p, end: p[0].upper() + p[1:] + end, phrase, st.sampled_from([".", "", "!", " :"]))
title = st.builds(lambda p: "Programme " + p, phrase)
bullet = st.sampled_from(["- ", "• ", "  • ", "* ", "– ", "1. ", "2) "])
colon = st.sampled_from([" : ", " :\u00a0", "\u00a0: ", " :  ", ": "])


@st.composite
def report_texts(draw) -> str:
    language = draw(st.sampled_from(L.LANGUAGES))
    index = L.LANGUAGES.index(language)

    def label(field: str, value: str, bulleted: bool = False) -> str:
        return (draw(bullet) if bulleted else "") + L.label(field, language) + draw(colon) + value

    lines = [f"Logo {draw(phrase)}", "", draw(title), ""]
    lines.append(label("summary", draw(sentence)))
    lines += ["", L.PAGE_CHROME[2 * index], ""]
    optional = {
        "start_date": st.sampled_from(["2007", "June 2012", "juin 2012", "01/09/2011", "2009-2012", "someday"]),
        "implementation_site": phrase,
        "budget": st.sampled_from(["8250 €", "15 000 €", "Not communicated", "40,000 euros per year", "150 k€", "lots"]),
        "funding": st.sampled_from(["Public", "Mixed: Fondation de France, town of Lyon", "SAN, CAF77 and CUCS (Urban, Social) of Sénart."]),
    }
    for field, values in optional.items():
        if draw(st.booleans()):
            lines.append(label(field, draw(values), bulleted=True))
    lines += ["", f"  • {draw(phrase)}"]
    if draw(st.booleans()):
        lines += ["  • 79 rue Hémet", "  • 93300 Aubervilliers"]
    for field in ("employees", "volunteers", "members"):
        if draw(st.booleans()):
            lines.append(label(field, draw(st.sampled_from(["6", "1 200", "about twenty"])), bulleted=True))
    lines += ["", L.EDITORIAL_HEADING[index]]
    if draw(st.booleans()):
        lines.append(label("proofreading_date", "25/03/2015 00:00", bulleted=True))
    tags = {
        "solutions": ["Education Social exclusion and isolation", "Santé, Logement", "Gardening Health"],
        "country": ["France, Île-de-France", "Senegal"],
        "stature": ["Local", "Nationale"],
        "participant_types": ["Public institution, Association, ONG", "Company"],
        "beneficiaries": ["Pupil, students", "Women, Inmates"],
        "domains": ["Education, Training", "Sport"],
    }
    for field, values in tags.items():
        if draw(st.booleans()):
            lines.append(label(field, draw(st.sampled_from(values)), bulleted=draw(st.booleans())))
    lines += ["", f"{L.COLLECTION_PREFIX[index]} « {draw(phrase)} » (Reso77 (2014))", ""]
    lines.append(label("citation", f"Lebreton Christine , « {draw(phrase)} », **Journal RESOLIS** (2015)"))
    for key in draw(st.lists(st.sampled_from(list(L.SECTIONS) + ["Testimonies"]), max_size=6, unique=True)):
        lines += ["", key if key == "Testimonies" else L.heading(key, language), ""]
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(["paragraph", "item", "item", "subheading"]))
            if kind == "subheading":
                lines += [draw(phrase).capitalize(), draw(bullet) + draw(sentence)]
            else:
                lines.append((draw(bullet) if kind == "item" else "") + draw(sentence))
    lines += ["", L.PAGE_CHROME[2 * index], L.PAGE_CHROME[2 * index + 1]]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@SETTINGS
@given(report_texts())
def test_parse_render_parse_is_stable(text: str):
    first = parse_report(text, "generated.txt").report
    second = parse_report(render_report(first), "rendered.txt").report
    assert second == first


@SETTINGS
@given(st.text(alphabet=st.sampled_from(" \t\u00a0\u202f\u2007\n\r\x1cab€é"), max_size=40))
def test_clean_gives_what_its_substitution_gives(text: str):
    """``clean`` skips the substitution when it would change nothing: same result either way."""
    assert clean(text) == _SPACES.sub(" ", text).strip()
