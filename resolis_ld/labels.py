"""The template's labels and section headings in English and French.

One table serves both directions: the parser matches folded labels to field names, the renderer
writes a field's label in the report's language.
"""

from __future__ import annotations

from .text import fold

LANGUAGES = ("en", "fr")

# field -> (English, French), in template order.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "summary": ("Summary", "Résumé"),
    "start_date": ("Start date", "Date de démarrage"),
    "implementation_site": ("Implementation site", "Lieu de mise en œuvre"),
    "budget": ("Budget", "Budget"),
    "funding": ("Source and details on funding", "Source et détails du financement"),
    "employees": ("Employees", "Salariés"),
    "volunteers": ("Volunteers", "Bénévoles"),
    "members": ("Members", "Adhérents"),
    "proofreading_date": ("Date of proofreading", "Date de relecture"),
    "committee_opinion": ("Opinion of the Committee", "Avis du comité"),
    "solutions": ("Solution(s)", "Solution(s)"),
    "country": ("Country", "Pays"),
    "stature": ("Stature of the programme", "Envergure du programme"),
    "participant_types": ("Participant", "Participant"),
    "beneficiaries": ("Beneficiaries", "Bénéficiaires"),
    "domains": ("Domain", "Domaine"),
    "licence": ("Copyright", "Copyright"),
    "citation": (
        "To reference a document published by RESOLIS",
        "Pour citer un document publié par RESOLIS",
    ),
}

# Lines that are not labelled "X : value" but recognised by their opening words.
EDITORIAL_HEADING = ("Editorial committee", "Comité éditorial")
COLLECTION_PREFIX = (
    "Reports collected as part of the RESOLIS programme",
    "Fiches recueillies dans le cadre du programme RESOLIS",
)
LOGO_PREFIX = "Logo "
LICENCE_WORD = ("Licence", "Licence")
PAGE_CHROME = (
    "Share this report",
    "Download the report",
    "Partager cette fiche",
    "Télécharger la fiche",
)

# section key -> (English heading, French heading, narrative property local name); the
# partnerships section has none: its items name partner organisations, its paragraphs describe
# the partnership.
SECTIONS: dict[str, tuple[str, str, str | None]] = {
    "background": ("Background to the programme", "Contexte du programme", "background"),
    "objectives": ("Objectives of the programme", "Objectifs du programme", "objective"),
    "actions": ("Implemented actions", "Actions mises en œuvre", "action"),
    "results": (
        "Quantitative and qualitative results from the implemented actions",
        "Résultats quantitatifs et qualitatifs des actions mises en œuvre",
        "result",
    ),
    "originality": ("Original characteristics", "Caractère original", "originality"),
    "partnerships": (
        "Partnership(s) developed in the context of the programme",
        "Partenariat(s) développé(s) dans le cadre du programme",
        None,
    ),
    "difficulties": (
        "Difficulties and/or obstacles encountered during the programme’s implementation",
        "Difficultés et/ou obstacles rencontrés lors de la mise en œuvre du programme",
        "difficulty",
    ),
    "remedies": (
        "Solutions used to overcome the difficulties and/or obstacles",
        "Solutions apportées pour surmonter les difficultés et/ou obstacles",
        "remedy",
    ),
    "suggestions": ("Suggestions for future improvement", "Pistes d'amélioration", "suggestion"),
    "success_factors": (
        "Summary of factors responsible for the programme’s success",
        "Synthèse des facteurs de réussite du programme",
        "successFactor",
    ),
    "further_reading": ("To know more", "Pour en savoir plus", "furtherReading"),
}

# Month names for dates such as "June 2012" / "juin 2012", folded.
MONTHS: dict[str, int] = {}
for _number, (_en, _fr) in enumerate(
    [
        ("january", "janvier"), ("february", "fevrier"), ("march", "mars"),
        ("april", "avril"), ("may", "mai"), ("june", "juin"), ("july", "juillet"),
        ("august", "aout"), ("september", "septembre"), ("october", "octobre"),
        ("november", "novembre"), ("december", "decembre"),
    ],
    start=1,
):
    MONTHS[_en] = MONTHS[_fr] = _number
MONTH_NAMES = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}

NOT_COMMUNICATED = ("Not communicated", "Non communiqué")


def label(field: str, language: str) -> str:
    """The label of a field in a report's language."""
    return FIELD_LABELS[field][LANGUAGES.index(language)]


def heading(section_key: str, language: str) -> str:
    return SECTIONS[section_key][LANGUAGES.index(language)]


def _index_fields() -> dict[str, tuple[str, str | None]]:
    """Folded label -> (field, language); language None when both languages spell it alike."""
    index: dict[str, tuple[str, str | None]] = {}
    for field, (english, french) in FIELD_LABELS.items():
        same = fold(english) == fold(french)
        index[fold(english)] = (field, None if same else "en")
        index[fold(french)] = (field, None if same else "fr")
    return index


def _index_sections() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for key, (english, french, _) in SECTIONS.items():
        index[fold(english)] = (key, "en")
        index[fold(french)] = (key, "fr")
    return index


FIELD_INDEX = _index_fields()
SECTION_INDEX = _index_sections()
CHROME_INDEX = {fold(text) for text in PAGE_CHROME}
FRENCH_CHROME_INDEX = {fold(text) for text in PAGE_CHROME[2:]}
COLLECTION_PREFIX_INDEX = tuple(zip(LANGUAGES, COLLECTION_PREFIX, (fold(text) for text in COLLECTION_PREFIX)))
NOT_COMMUNICATED_INDEX = {fold(text) for text in NOT_COMMUNICATED}
EDITORIAL_INDEX = {fold(EDITORIAL_HEADING[0]): "en", fold(EDITORIAL_HEADING[1]): "fr"}
# No line longer than this can be a heading (room for " :", stray spaces and "œ" -> "oe"), nor
# one whose first word is not a heading's: cheap tests that spare folding most lines.
LONGEST_HEADING = max(len(text) for english, french, _ in SECTIONS.values() for text in (english, french)) + 8
HEADING_FIRST_WORDS = {heading.split(" ", 1)[0] for heading in SECTION_INDEX}
LONGEST_CHROME = max(len(text) for text in (*PAGE_CHROME, *EDITORIAL_HEADING)) + 8


def is_chrome(text: str) -> bool:
    """Whether a line is page chrome ("Share this report"…); long lines are not even folded."""
    return len(text) <= LONGEST_CHROME and fold(text) in CHROME_INDEX
