"""Generate realistic RESOLIS report files, to measure the pipeline at scale.

    .venv/bin/python benchmarks/make_corpus.py 1000 --seed 1 -o /tmp/corpus

Reports follow ../shared/REPORT_FORMAT.md as the real ones in data/reports/ do: about 80 %
English and 20 % French, every field and every value form the format lists, short to long
narratives, a few hundred lead organisations shared between reports, some incomplete reports
and a few CRLF, BOM or Windows-1252 files. Report i depends only on the seed and i, so a corpus
of 1,000 is the first 1,000 reports of a corpus of 10,000, and the same seed gives the same bytes.
Each generated report also carries the facts it was made from, so a test can check the converter
read them back.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vocabulary as V  # noqa: E402

ORGANISATIONS = 300
FRENCH_SHARE = 0.2
INCOMPLETE_SHARE = 0.15
NBSP = "\u00a0"
BULLETS = ["•", "-", "*", "–", "1.", "1)"]
# Missing lines that each give a validation warning on the report or its programme (what an
# organisation lacks may be given by another report on the same organisation, so not listed).
WARNING_OMISSIONS = [
    "start_date", "budget", "funding", "country", "objectives", "actions", "results",
    "proofreading", "collection", "citation",
]
OTHER_OMISSIONS = ["site", "opinion", "counts", "address", "editorial", "partnerships", "further_reading"]
BUDGET_FORMS = ["plain", "bare", "space", "nbsp", "euros", "euro_first", "k", "per_year", "not_communicated"]
START_FORMS = {"year": 0.3, "month": 0.25, "day": 0.25, "range": 0.12, "unreadable": 0.08}
FUNDING_FORMS = ["type", "funders", "type_and_funders"]


@dataclass(frozen=True)
class Organisation:
    """A lead organisation, the same in every report that names it."""

    name: str
    street: str | None
    postcode: str | None
    town: str
    country: tuple[str, str]  # English, French
    region: tuple[str, str] | None
    counts: dict[str, str | None]  # employees / volunteers / members as written, None if absent


@dataclass
class GeneratedReport:
    name: str
    data: bytes
    facts: dict[str, Any] = field(default_factory=dict)


# -- organisations ------------------------------------------------------------------------------


def organisations(seed: int, count: int = ORGANISATIONS) -> list[Organisation]:
    """The shared pool of lead organisations, from the seed alone."""
    rng = random.Random(f"{seed}:organisations")
    pool: list[Organisation] = []
    names: set[str] = set()
    while len(pool) < count:
        organisation = _organisation(rng)
        if organisation.name not in names:
            names.add(organisation.name)
            pool.append(organisation)
    return pool


def _organisation(rng: random.Random) -> Organisation:
    if rng.random() < 0.85:
        town, department, region = rng.choice(V.FRENCH_TOWNS)
        postcode = f"{department}{rng.randrange(1000):03d}"
        country, regions = ("France", "France"), (region, region) if rng.random() < 0.85 else None
    else:
        english, french, towns, region_en, region_fr = rng.choice(V.OTHER_COUNTRIES)
        town, postcode = rng.choice(towns)
        country, regions = (english, french), (region_en, region_fr) if region_en else None
    pattern = rng.choice(V.ORGANISATION_PATTERNS)
    name = pattern.format(
        word=rng.choice(V.ORGANISATION_WORDS), town=town, plural=rng.choice(V.ORGANISATION_PLURALS),
        person=f"{rng.choice(V.GIVEN_NAMES)} {rng.choice(V.SURNAMES)}",
    )
    if rng.random() < 0.3:
        name += f" ({_acronym(name)})"
    street = f"{rng.randrange(1, 120)} {rng.choice(V.STREET_TYPES)} {rng.choice(V.STREET_NAMES)}"
    address = rng.random()
    return Organisation(
        name=name,
        street=street if address < 0.8 else None,
        postcode=postcode if address < 0.9 else None,
        town=town,
        country=country,
        region=regions,
        counts={what: _count(rng, what) for what in ("employees", "volunteers", "members")},
    )


def _acronym(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"[A-ZÉ][\w']*", name)).upper() or "ORG"


def _count(rng: random.Random, what: str) -> str | None:
    roll = rng.random()
    if roll < 0.12:
        return None
    if roll < 0.17:
        return "words"  # written in words in the report's language
    if what == "members" and roll > 0.95:
        return f"1 {rng.randrange(100, 999)}"
    return str(rng.randrange(0, 15) if what == "employees" else rng.randrange(1, 300))


# -- one report ---------------------------------------------------------------------------------


class _ReportWriter:
    """Writes one report line by line, and notes the facts it put in."""

    def __init__(self, index: int, seed: int, pool: list[Organisation]):
        self.rng = random.Random(f"{seed}:{index}")
        self.index, self.seed = index, seed
        rng = self.rng
        self.language = "fr" if rng.random() < FRENCH_SHARE else "en"
        self.fr = self.language == "fr"
        self.organisation = rng.choice(pool)
        self.lines: list[str] = []
        self.year = rng.randrange(2005, 2017)
        self.length = rng.choices(["short", "medium", "long"], [0.3, 0.5, 0.2])[0]
        omitted: set[str] = set()
        if rng.random() < INCOMPLETE_SHARE:
            omitted.add(rng.choice(WARNING_OMISSIONS))
            omitted.update(rng.sample(WARNING_OMISSIONS + OTHER_OMISSIONS, rng.randrange(0, 4)))
        self.omitted = omitted
        self.facts: dict[str, Any] = {
            "language": self.language, "organisation": self.organisation.name, "length": self.length,
            "incomplete": bool(omitted), "omitted": sorted(omitted),
        }

    # small helpers

    def pick(self, pair: tuple[str, str]) -> str:
        return pair[1] if self.fr else pair[0]

    def word(self, table: dict[str, list[str]]) -> str:
        return self.rng.choice(table[self.language])

    def label(self, key: str) -> str:
        return V.LABELS[self.language][key]

    def fill(self, template: str) -> str:
        rng = self.rng
        organisation = self.organisation
        return template.format(
            year=self.year + rng.randrange(0, 4), town=organisation.town,
            region=self.pick(organisation.region) if organisation.region else organisation.town,
            n=rng.randrange(20, 400), m=rng.randrange(5, 20), p=rng.randrange(10, 80),
            slug=re.sub(r"[^a-z]+", "-", organisation.name.lower()).strip("-")[:30],
            person=f"{rng.choice(V.GIVEN_NAMES)} {rng.choice(V.SURNAMES)}",
        )

    def labelled(self, key: str, value: str, bullet: bool = False) -> None:
        """``Label : value``, with the spaces of real exports: ordinary, non-breaking, doubled."""
        before = self.rng.choice([" ", NBSP, " "])
        after = self.rng.choice([NBSP + " ", " ", NBSP, "  "])
        self.lines.append(f"{'  • ' if bullet else ''}{self.label(key)}{before}:{after}{value}")

    def sentence(self) -> str:
        subject, singular = self.rng.choice(V.SUBJECTS[self.language])
        verb = self.rng.choice(V.VERBS[self.language])[0 if singular else 1]
        complement = self.fill(self.word(V.COMPLEMENTS))
        return " ".join(part for part in (subject, verb, self.word(V.OBJECTS), complement) if part) + "."

    def paragraph(self) -> str:
        sizes = {"short": (1, 2), "medium": (2, 4), "long": (3, 8)}[self.length]
        return " ".join(self.sentence() for _ in range(self.rng.randint(*sizes)))

    def blank(self, count: int = 1) -> None:
        self.lines.extend([""] * count)

    # the parts of a report, in template order

    def write(self) -> list[str]:
        self.header()
        self.programme_block()
        self.organisation_block()
        self.editorial_block()
        self.tags()
        self.citation_block()
        self.sections()
        self.lines += ["", self.label("share"), self.label("download")]
        return self.lines

    def header(self) -> None:
        rng = self.rng
        activity, audience = self.word(V.TITLE_ACTIVITIES), self.word(V.TITLE_AUDIENCES)
        title = f"{activity} {'pour' if self.fr else 'for'} {audience}"
        if rng.random() < 0.7:
            title += f" {'à' if self.fr else 'in'} {self.organisation.town}"
        if rng.random() < 0.3:
            title += f" ({self.year})"
        self.title = title
        self.facts["title"] = title
        self.lines += [f"Logo {self.organisation.name}", "", title, ""]
        self.labelled("summary", self.paragraph())
        self.lines += ["", self.label("share"), "", ""]

    def programme_block(self) -> None:
        if "start_date" not in self.omitted:
            self.labelled("start_date", self.start_date(), bullet=True)
        if "site" not in self.omitted and self.rng.random() < 0.7:
            self.labelled("site", f"{self.organisation.town}{self.rng.choice(['', ', centre', ', quartiers nord' if self.fr else ', north district'])}", bullet=True)
        if "budget" not in self.omitted:
            self.labelled("budget", self.budget(), bullet=True)
        if "funding" not in self.omitted:
            self.labelled("funding", self.funding(), bullet=True)
        self.blank(2)

    def start_date(self) -> str:
        rng, year = self.rng, self.year
        form = rng.choices(list(START_FORMS), list(START_FORMS.values()))[0]
        month, day = rng.randrange(1, 13), rng.randrange(1, 29)
        value, expected = {
            "year": (str(year), str(year)),
            "month": (f"{V.MONTHS[self.language][month - 1]} {year}", f"{year}-{month:02d}"),
            "day": (f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}"),
            "range": (f"{year}-{year + rng.randrange(1, 5)}", str(year)),
            "unreadable": (self.word(V.UNREADABLE_DATES).format(year=year), None),
        }[form]
        self.facts.update(start_form=form, start=expected)
        return value

    def budget(self) -> str:
        rng = self.rng
        form = _balanced(BUDGET_FORMS, self.seed, "budget", self.index)
        amount = rng.randrange(2000, 100000)
        if form in ("nbsp", "space") and rng.random() < 0.3:
            amount = rng.randrange(1, 3) * 1_000_000 + rng.randrange(0, 999) * 1000
        sep = " " if self.fr else ","
        value = {
            "plain": f"{amount} €",
            "bare": str(amount),
            "space": f"{_grouped(amount, ' ')} €",
            "nbsp": f"{_grouped(amount, NBSP)} €",
            "euros": f"{_grouped(amount, sep)} euros",
            "euro_first": f"€ {_grouped(amount, sep)}",
            "k": f"{amount // 1000} k€",
            "per_year": f"{_grouped(amount, rng.choice([' ', NBSP]))} € {self.word(V.PER_YEAR)}",
            "not_communicated": V.NOT_COMMUNICATED[self.language],
        }[form]
        expected = {"k": Decimal(amount // 1000 * 1000), "not_communicated": None}.get(form, Decimal(amount))
        self.facts.update(budget_form=form, budget=None if expected is None else str(expected))
        return value

    def funding(self) -> str:
        rng = self.rng
        form = _balanced(FUNDING_FORMS, self.seed, "funding", self.index)
        funding_type = rng.choice(V.FUNDING_TYPES)
        funders = [self.fill(name) for name in rng.sample(V.FUNDERS[self.language], rng.randint(1, 4))]
        listed = ", ".join(funders[:-1]) + (f" {'et' if self.fr else 'and'} " if len(funders) > 1 else "") + funders[-1]
        if rng.random() < 0.3:
            listed += "."
        self.facts.update(funding_form=form, funding_type=None, funders=len(funders))
        if form == "type":
            self.facts.update(funding_type=funding_type[0], funders=0)
            return self.pick(funding_type)
        if form == "funders":
            return listed
        self.facts["funding_type"] = funding_type[0]
        return f"{self.pick(funding_type)}{rng.choice([': ', ' : ', ' - '])}{listed}"

    def organisation_block(self) -> None:
        organisation = self.organisation
        lines = [organisation.name]
        if "address" not in self.omitted:
            if organisation.street:
                lines.append(organisation.street)
            if organisation.postcode:
                lines.append(f"{organisation.postcode} {organisation.town}")
        self.lines += [f"  • {line}" for line in lines]
        if "counts" not in self.omitted:
            for key, value in organisation.counts.items():
                if value is not None:
                    self.labelled(key, self.word(V.COUNT_WORDS) if value == "words" else value, bullet=True)
        self.blank(2)

    def editorial_block(self) -> None:
        if "editorial" in self.omitted:
            return
        self.lines += [self.label("editorial"), ""]
        if "proofreading" not in self.omitted:
            day = f"{self.rng.randrange(1, 29):02d}/{self.rng.randrange(1, 13):02d}/{self.year + 2}"
            self.lines.append(f"  • {self.label('proofreading')}{NBSP}:{NBSP}  {day} 00:00")
        if "opinion" not in self.omitted and self.rng.random() < 0.7:
            self.lines.append(f"{self.label('opinion')} : {self.word(V.OPINIONS)}")

    def tags(self) -> None:
        rng = self.rng
        solutions = rng.sample(V.SOLUTIONS, rng.randint(1, 3))
        self.lines.append(f"Solution(s) : {' '.join(self.pick(s) for s in solutions)}")
        if "country" not in self.omitted:
            country = self.pick(self.organisation.country)
            region = self.organisation.region
            self.labelled("country", f"{country}, {self.pick(region)}" if region else country)
        stature = rng.choice(V.STATURES)
        participants = rng.sample(V.PARTICIPANTS, rng.randint(1, 3))
        beneficiaries = rng.sample(V.BENEFICIARIES, rng.randint(1, 3))
        domains = rng.sample(V.DOMAINS, rng.randint(1, 3))
        self.labelled("stature", self.pick(stature))
        self.labelled("participant", ", ".join(self.pick(p) for p in participants))
        self.labelled("beneficiaries", ", ".join(self.pick(b) for b in beneficiaries), bullet=True)
        self.labelled("domain", ", ".join(self.pick(d) for d in domains), bullet=True)
        self.facts["tags"] = {
            "solution": [s[0] for s in solutions], "stature": [stature[0]],
            "participant-type": [p[0] for p in participants],
            "beneficiary": [b[0] for b in beneficiaries], "domain": [d[0] for d in domains],
        }
        self.facts["country"] = self.pick(self.organisation.country) if "country" not in self.omitted else None

    def citation_block(self) -> None:
        self.blank()
        if "collection" not in self.omitted:
            english, french, edition = self.rng.choice(V.COLLECTIONS)
            self.lines += [f"{self.label('collection')} « {french if self.fr else english} » ({edition})", ""]
        self.lines.append(f"{self.label('licence')} {V.LICENCE}")
        if "citation" not in self.omitted:
            author = f"{self.rng.choice(V.SURNAMES)} {self.rng.choice(V.GIVEN_NAMES)}"
            self.lines.append(f"{self.label('citation')} : {author} , « {self.title} », **Journal RESOLIS** ({self.year + 2})")
        self.blank()

    # -- narrative sections

    def sections(self) -> None:
        rng = self.rng
        optional = 0.5 if self.length == "short" else 0.85
        extra_after = rng.choice(list(V.HEADINGS)) if rng.random() < 0.1 else None
        self.facts["extra_section"] = False
        for key in V.HEADINGS:
            core = key in ("background", "objectives", "actions", "results")
            if key in self.omitted or (not core and rng.random() > optional):
                continue
            self.heading(key)
            getattr(self, f"section_{key}", self.section_items)(key)
            self.blank()
            if key == extra_after:
                self.facts["extra_section"] = True
                self.lines += [self.word(V.EXTRA_HEADINGS), ""]
                self.lines.append(self.fill(self.word(V.EXTRA_PARAGRAPHS)))
                self.blank()

    def heading(self, key: str) -> None:
        text = self.pick(V.HEADINGS[key])
        if self.rng.random() < 0.3:
            text = text.replace("’", "'")
        if key not in ("background", "objectives", "actions", "results", "originality", "further_reading"):
            text += " :"  # as the real exports write the later headings
        self.lines += [text, ""]

    def bullets(self, items: list[str]) -> None:
        style = self.rng.choice(BULLETS)
        indent = "  " if self.rng.random() < 0.2 else ""
        for number, item in enumerate(items, start=1):
            mark = style.replace("1", str(number)) if style[0] == "1" else style
            self.lines.append(f"{indent}{mark} {item}")

    def count(self, short: int, long: int) -> int:
        return {"short": self.rng.randint(1, short), "medium": self.rng.randint(2, long),
                "long": self.rng.randint(long, 2 * long)}[self.length]

    def paragraphs(self, count: int) -> None:
        for number in range(count):
            if number:
                self.blank()
            self.lines.append(self.paragraph())

    def section_background(self, key: str) -> None:
        self.paragraphs(self.count(1, 3))

    def section_originality(self, key: str) -> None:
        if self.rng.random() < 0.5:
            self.paragraphs(self.count(1, 2))
        else:
            self.bullets([self.sentence() for _ in range(self.count(2, 3))])

    def section_actions(self, key: str) -> None:
        self.bullets([self.sentence() for _ in range(self.count(2, 5))])

    def section_results(self, key: str) -> None:
        results = [self.fill(self.word(V.RESULT_SENTENCES)) for _ in range(self.count(2, 4))]
        if self.rng.random() < 0.5:
            self.bullets(results)
        else:
            self.lines.append(" ".join(results))

    def section_partnerships(self, key: str) -> None:
        if self.rng.random() < 0.2:
            self.lines.append(self.paragraph())
            return
        partners = self.rng.sample(V.PARTNERS[self.language], self.rng.randint(1, 5))
        self.bullets([self.fill(p) for p in partners])

    def section_success_factors(self, key: str) -> None:
        items = V.ITEMS[key][self.language]
        if self.rng.random() < 0.3:
            for subheading in V.SUBHEADINGS[self.language]:
                self.lines.append(subheading)
                self.bullets(self.rng.sample(items, self.rng.randint(1, 3)))
                self.blank()
            self.lines.pop()
            self.facts["subheadings"] = True
            return
        self.bullets(self.rng.sample(items, self.rng.randint(1, len(items))))

    def section_further_reading(self, key: str) -> None:
        self.bullets([self.fill(t) for t in self.rng.sample(V.FURTHER_READING[self.language], self.rng.randint(1, 3))])

    def section_items(self, key: str) -> None:
        items = V.ITEMS[key][self.language]
        chosen = self.rng.sample(items, min(len(items), self.count(2, 4)))
        if self.length == "long" and self.rng.random() < 0.5:
            self.lines += [self.paragraph(), ""]
        self.bullets(chosen)


def _balanced(options: list[str], seed: int, what: str, index: int) -> str:
    """A shuffled option, each taken once in every run of len(options) reports: even a small
    corpus holds every form (unless an incomplete report leaves the line out)."""
    order = list(options)
    random.Random(f"{seed}:{what}:{index // len(options)}").shuffle(order)
    return order[index % len(options)]


def _grouped(amount: int, separator: str) -> str:
    """12345678 -> 12 345 678 with the given thousands separator."""
    return f"{amount:,}".replace(",", separator)


# -- files ----------------------------------------------------------------------------------------


def _encode(lines: list[str], index: int, rng: random.Random, facts: dict[str, Any]) -> bytes:
    """UTF-8 with LF mostly; in every 50 reports, two CRLF, one BOM and one Windows-1252 file
    (by position, so that a small corpus has them too); sometimes no final newline."""
    crlf = index % 25 == 3
    encoding = {11: "utf-8-sig", 36: "windows-1252"}.get(index % 50, "utf-8")
    text = ("\r\n" if crlf else "\n").join(lines)
    if rng.random() < 0.9:
        text += "\r\n" if crlf else "\n"
    facts.update(crlf=crlf, encoding=encoding)
    return text.encode("cp1252" if encoding == "windows-1252" else encoding)


def generate_report(index: int, seed: int, pool: list[Organisation]) -> GeneratedReport:
    writer = _ReportWriter(index, seed, pool)
    lines = writer.write()
    data = _encode(lines, index, writer.rng, writer.facts)
    return GeneratedReport(f"r{index + 1:05d}.txt", data, writer.facts)


def generate_reports(count: int, seed: int = 1) -> list[GeneratedReport]:
    """``count`` reports, reproducible from the seed."""
    pool = organisations(seed)
    return [generate_report(index, seed, pool) for index in range(count)]


def write_corpus(count: int, directory: Path, seed: int = 1) -> list[Path]:
    """Write the reports into ``directory`` (created if needed); returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for report in generate_reports(count, seed):
        path = directory / report.name
        path.write_bytes(report.data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int, help="number of reports")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same files (default 1)")
    parser.add_argument("-o", "--out", type=Path, required=True, help="output directory")
    args = parser.parse_args(argv)
    paths = write_corpus(args.count, args.out, args.seed)
    print(f"Wrote {len(paths)} reports to {args.out}/", file=sys.stderr)


if __name__ == "__main__":
    main()
