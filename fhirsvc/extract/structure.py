"""Report structure: title, bibliographic metadata, narrative body, web boilerplate.

Boilerplate is recognised by the shape of a line, not by its words: a truncated
teaser ("…" at the end), a navigation line (few words, no sentence punctuation, or
starting with ``<<``/``>>``/``|``), a ``Key - value`` metadata line and the list of
names or keywords that follows it, and a short line that addresses the reader in
the second person (log-in and paywall notices). A news story adds lines known by a
few words: credits ("Editor: …", "(Reporter …)", also before a first sentence), a
request to share the page, and a list of links under a heading such as "Related
News" (its short lines, whatever their ending). A published article's back matter
(references, acknowledgements, funding, conflicts of interest, consent…: from its heading
to the next short heading) and any line shaped as a citation ("… 2010;362:1-10") are
about the article, not the patient. Only body lines are read for facts.

Text wrapped at a fixed width (an e-mail, a plain-text export, a PDF copied out) breaks
its sentences over lines; :func:`unwrap` joins such lines back into paragraphs first, so
that neither the tests of a line's shape nor the sentence splitter see half a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from fhirsvc.extract.demographics import ADJECTIVE_NOUNS, FEMALE_NOUNS, MALE_NOUNS, PERSON_NOUNS
from fhirsvc.model import ReportMetadata, Span

_META_RE = re.compile(r"^\s*([A-Z][\w ()'-]{1,40}?)\s*(?:-|:|–)\s*(.*)$")
#: A DOI; the look-behind after its first digit stands for a leading ``\b``, so that the
#: engine skips from one "1" to the next instead of trying every position of the text.
_DOI_RE = re.compile(r"(1(?<!\w1)0\.\d{4,9}/[^\s,;]+[^\s,;.])")
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
#: A full ISO date in a date field ("Release date: 2023-05-02"): the day of publication.
_ISO_DAY = re.compile(r"\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
_WORD_RE = re.compile(r"[^\W\d_]+")
_SECOND_PERSON = re.compile(r"\b(you|your|yours)\b", re.IGNORECASE)
_TRUNCATED = ("...", "…")
#: How a sentence may end (lines are stripped of white space).
_SENTENCE_ENDS = tuple('.!?:;"\u201d)')
_LIST_SEPARATOR = re.compile(r"\s*[,;]\s*")
_NAV_START = re.compile(r"^\s*(<<|>>|\||»|«|›)")
#: Who wrote, edited or photographed a news story.
_ROLE = (r"(?:(?:responsible|chief|executive|duty)\s+)?editors?(?:\s+in\s+charge)?|edited\s+by|"
         r"reporters?|correspondents?|photo(?:graph)?s?(?:\s+by)?|photographers?|"
         r"translat(?:ed\s+by|ors?)|proofread(?:ing|ers?)?|reviewed\s+by|writers?|written\s+by|"
         r"text\s+by|interns?")
#: A credit line: a role and a colon ("Editor: Li Ming"), or a role and names in brackets
#: ("(Reporter Zhao Lei, correspondent Sun Yu)").
_CREDIT = re.compile(rf"^(?:(?:{_ROLE})\s*[:\uff1a]|\(\s*(?:{_ROLE})\b[^()]*\)$)", re.IGNORECASE)
#: A credit in brackets before the story's first sentence ("(Reporter Liu Min) The boy…").
_CREDIT_BEFORE = re.compile(rf"\(\s*(?:{_ROLE})\b[^()]{{0,80}}\)\s*", re.IGNORECASE)
#: A line that asks the reader to share or print the page ("Share this article:").
_SHARE = re.compile(r"^(?:share|print|email|e-mail|comment|follow|like)\b[\w\s]{0,30}[:!]?$",
                    re.IGNORECASE)
#: The heading of a list of links to other stories ("Related News"): the short lines after it
#: are those links, whatever their last character.
_LINK_LIST = re.compile(r"^(?:(?:related|recommended|more|further|popular|latest|hot)(?:\s+\w+)?"
                        r"\s+(?:news|articles?|stories|reading|posts?|links?)|see also|read more)"
                        r"\s*:?$", re.IGNORECASE)
#: The most words of one link in such a list.
_LINK_WORDS = 15
#: The heading of a published article's back matter: what follows, up to the next short
#: heading, speaks of the article, not of the patient (a reference list names diseases).
_BACK_MATTER = (r"references?|bibliography|literature cited|works cited|acknowledge?ments?|"
                r"funding(?: sources?| information)?|sources? of funding|financial support|"
                r"(?:conflicts?|declarations?) of interests?|competing interests?|disclosures?|"
                r"declarations?|authors?'? contributions?|contributorship|"
                r"ethic(?:s|al) (?:approval|statement|considerations?)|"
                r"(?:patient |informed )?consent(?: for publication)?|"
                r"(?:data|materials?) availability(?: statement)?|abbreviations|footnotes?")
_BACK_MATTER_HEADING = re.compile(rf"^(?:\d{{1,2}}\.?\s+)?(?:{_BACK_MATTER})\s*:?$", re.IGNORECASE)
#: A back-matter paragraph on one line, its label first ("Conflict of interest: none").
_BACK_MATTER_LABEL = re.compile(rf"^(?:{_BACK_MATTER})\s*:", re.IGNORECASE)
#: The most words of a heading that ends the back matter ("Figure legends", "Case 2").
_SECTION_WORDS = 6
#: A reference to the literature: a year, a volume and pages ("2010;362:1-10", "2018; 360:
#: k100"), or a numbered list item starting with an author's name and initials.
_CITATION = re.compile(
    r"\b(?:19|20)\d\d[a-z]?\s*;\s*\d+(?:\s*\(\s*[\w-]+\s*\))?\s*:\s*[A-Za-z]?\d+"
    r"|^\[?\d{1,3}[.\])]\s+(?:[A-Z][\w'-]+\s+[A-Z]{1,3},?\s+){1,}")
#: Metadata keys and the field they fill.
_META_FIELDS = {
    "doi": "doi",
    "author": "authors",
    "authors": "authors",
    "author(s)": "authors",
    "journal": "journal",
    "publication title": "journal",
    "source": "journal",
    "publication year": "year",
    "year": "year",
    "published": "year",
    "release date": "year",
    "date of release": "year",
    "publication date": "year",
    "date of publication": "year",
    "date published": "year",
    "language": "language",
    "language(s)": "language",
}


#: Words a line cut in the middle of a sentence ends with: the sentence goes on below.
_OPEN_END = frozenset(str.split(
    "a an the and or nor but of to in on at by for from with without into onto than as per "
    "via was were is are be been being had has have who whom whose which that whereas while "
    "after before during since until under over between among its his her their our showed "
    "revealed"))
#: How a line of a wrapped paragraph may end and still go on below.
_OPEN_MARKS = tuple(",-(/=&+\u00d7\u2013")
#: The start of a list item, a table row or a "Key: value" line: never the rest of a sentence.
_ITEM_START = re.compile(r"^(?:[-*\u2022\u25cf\u25aa]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s)")
#: The label a part of a structured abstract or a case starts with ("Rationale: …").
_LABEL = re.compile(r"^[A-Z][a-z]+(?: [a-z]+){0,2}:\s")
#: A row of a table: columns set apart by a tab, a run of spaces or a bar, a number in one.
_TABLE_ROW = re.compile(r"(?:\t|\S {2,}|\s?\|\s?)[<>\u2264\u2265~]?\d")
#: A result on a line of its own: a name, then a number and a unit after a colon, a tab or
#: spaces ("Sodium: 128 mmol/L", "Creatinine 2.3 mg/dL"): body, though short and unpunctuated.
_RESULT_LINE = re.compile(
    r"^[A-Za-z][\w ,()/-]{1,40}?(?::|\t| {2,}| )[<>\u2264\u2265~]?\s*\d[\d.,]*\s*"
    r"(?:[a-zA-Z%\u00b5/^\d][\w%/^*\u00b5.\u00d7 -]{0,20})?$")
#: A line this much shorter than the width of a wrapped text ends its paragraph.
_WRAP_SLACK = 0.75
#: The fewest words of a line that goes on below (fewer: a heading, a name in a list).
_LEAST_WORDS = 4
#: Lines at the wrap width a text needs before it is read as wrapped.
_WRAPPED_LINES = 3


@dataclass(frozen=True, slots=True)
class Line:
    span: Span
    text: str

    @property
    def words(self) -> int:
        """Number of words (runs of letters). Counted when asked: the tests of a line's shape
        ask it last, after the cheaper tests that settle a sentence of the narrative."""
        return len(_WORD_RE.findall(self.text))


def lines(text: str) -> list[Line]:
    """Non-blank lines with their spans (trailing whitespace excluded)."""
    found: list[Line] = []
    at = 0  # where the line starts
    for line in text.split("\n"):
        raw = line.rstrip()
        stripped = raw.lstrip()
        if stripped:
            start = at + len(raw) - len(stripped)
            found.append(Line(Span(start, at + len(raw)), stripped))
        at += len(line) + 1
    return found


def readable(text: str) -> str:
    """``text`` as extraction reads it, offsets kept: wrapped paragraphs joined
    (:func:`unwrap`), and the bars between the cells of a table row turned into spaces, so
    that "| Hemoglobin (g/dL) | 9.2 |" reads as a test and its value set apart."""
    return _TABLE_BARS.sub(_spaces, unwrap(text)) if "|" in text else unwrap(text)


#: A row of a table drawn with bars (two or more): "| Sodium | 128 mmol/L |", "WBC | 12.3 | 4-10".
_TABLE_BARS = re.compile(r"^[^\n|]*\|[^\n]*\|[^\n]*$", re.MULTILINE)


def _spaces(row: re.Match[str]) -> str:
    return row.group().replace("|", " ")


def unwrap(text: str) -> str:
    """``text`` with the line breaks inside wrapped paragraphs turned into spaces.

    Offsets are kept (each white-space character becomes one space), so spans found in
    the result are spans of the source. A line goes on in the next one when it ends
    without a sentence's end and either ends with a comma, a hyphen or a word that cannot
    end a sentence ("of", "with", "the"), or the next line starts in lower case, or the
    text is wrapped at a width (:func:`_wrap_width`) and the line reaches it. A blank
    line, a list item, a table row or a labelled part ("Outcomes: …") is never joined to
    the line above, nor anything to a metadata line.
    """
    if "\n" not in text:
        return text
    rows = _rows(text)
    width = _wrap_width(rows)
    chars: list[str] | None = None
    for (above, _), (below, blank) in pairwise(rows):
        if blank or not _continues(above, below, width):
            continue
        if chars is None:
            chars = list(text)
        chars[above.span.end : below.span.start] = " " * (below.span.start - above.span.end)
    return text if chars is None else "".join(chars)


def _rows(text: str) -> list[tuple[Line, bool]]:
    """Each non-blank line and whether a blank line (or the start) lies just above it."""
    found: list[tuple[Line, bool]] = []
    previous_end: int | None = None
    for line in lines(text):
        blank = previous_end is None or text.count("\n", previous_end, line.span.start) > 1
        found.append((line, blank))
        previous_end = line.span.end
    return found


def _wrap_width(rows: list[tuple[Line, bool]]) -> int | None:
    """The width a text is wrapped at: the longest line, when at least a few lines of
    several words come near it and most long lines do; None for a text of one paragraph
    a line."""
    lengths = [line.span.length for line, _ in rows if line.text.count(" ") >= 4]
    if len(lengths) < _WRAPPED_LINES:
        return None
    width = max(lengths)
    full = sum(1 for n in lengths if n >= width * _WRAP_SLACK)
    return width if full >= _WRAPPED_LINES and full * 2 >= len(lengths) and width < 200 else None


def _continues(above: Line, below: Line, width: int | None) -> bool:
    """Whether ``below`` carries on the sentence ``above`` breaks off (see :func:`unwrap`)."""
    end = above.text
    if (end.endswith(_SENTENCE_ENDS) or above.words < _LEAST_WORDS or _ITEM_START.match(below.text)
            or _table_row(below.text) or _LABEL.match(below.text)
            or _metadata_fields(above)):
        return False
    last = end.rsplit(None, 1)[-1].lower()
    if end.endswith(_OPEN_MARKS) or last in _OPEN_END or below.text[0].islower():
        return True
    return width is not None and above.span.length >= width * _WRAP_SLACK


def _table_row(text: str) -> bool:
    """:data:`_TABLE_ROW` searched only in a line with a tab, two spaces or a bar, one of
    which each of its matches holds: most lines are prose, and the search tries every
    character of them."""
    return ("\t" in text or "  " in text or "|" in text) and _TABLE_ROW.search(text) is not None


def _citation(text: str) -> bool:
    """:data:`_CITATION` searched only in a line with a semicolon or that starts with a
    bracket or a digit, as each of its matches does (the cheap test first, as for
    :func:`_table_row`)."""
    return (";" in text or text[:1] == "[" or text[:1].isdigit()) \
        and _CITATION.search(text) is not None


def is_navigation(line: Line) -> bool:
    """Teasers, navigation, reader-directed notices (see the module docstring)."""
    text = line.text
    if _RESULT_LINE.match(text) or _table_row(text):
        return False
    if text.endswith(_TRUNCATED) or _NAV_START.match(text) or _CREDIT.match(text):
        return True
    if line.words <= 6 and _SHARE.match(text):
        return True
    if is_heading(line) or ("?" in text and line.words < 12):
        return True
    return ("you" in text.lower() and bool(_SECOND_PERSON.search(text)) and line.words < 20
            and not _LETTER_PROSE.search(text) and not _OF_A_PERSON.search(text)
            and not _CLINICAL_WORD.search(text))


#: What a notice to the reader never holds: a second sentence, or a number. A letter's
#: paragraph addresses its reader too ("I suspect gout. I would value your opinion."),
#: and an e-mail referral introduces its patient so ("Thank you for seeing this 68 year old…").
_LETTER_PROSE = re.compile(r"[.;]\s+[A-Z]|\d")


#: A person a letter tells of, by a determiner and a person noun ("Thank you for seeing this
#: man with a rash"): a referral's narrative, not a notice to the reader of a web page.
_OF_A_PERSON = re.compile(
    rf"\b(?:this|that|my|our|your|the|a|an)\s+(?:young\s+|elderly\s+|old\s+)?"
    rf"(?:{'|'.join(sorted({*PERSON_NOUNS, *MALE_NOUNS, *FEMALE_NOUNS} - ADJECTIVE_NOUNS))})s?\b",
    re.IGNORECASE)
#: A word of clinical meaning by its Greek or Latin ending ("arthritis", "lymphoma", "anaemia",
#: "neuralgia", "fibrosis", "neuropathy"): a site's notice to its readers names none.
_CLINICAL_WORD = re.compile(
    r"\b[a-z]{3,}(?:itis|omas?|a?emia|algia|osis|opathy|ectomy|otomy|oscopy|ography)\b",
    re.IGNORECASE)


def is_heading(line: Line) -> bool:
    """A short line without sentence punctuation: a heading, a menu item, a link."""
    return not line.text.endswith(_SENTENCE_ENDS) and line.words <= 15


def is_keyword_list(text: str) -> bool:
    """A comma-separated list of short items with no sentence in it."""
    if text.endswith(".") or text.count(",") + text.count(";") < 3:
        return False
    items = [i.strip() for i in _LIST_SEPARATOR.split(text) if i.strip()]
    return len(items) >= 4 and all(len(i.split()) <= 4 for i in items) and not text.endswith(".")


#: An e-mail's header line ("From: …", "Sent: …"): whose message, not its subject.
_MAIL_HEADER = re.compile(r"^(?:from|to|cc|bcc|sent|date)\s*:", re.IGNORECASE)
#: An e-mail's subject, its words after the label: the message's title.
_MAIL_SUBJECT = re.compile(r"^(?:subject|re)\s*:\s*", re.IGNORECASE)
#: Cells set apart by a tab or a run of spaces (a bar read as spaces): a menu or a table's head.
_CELL_GAP = re.compile(r"\S(?:\t| {2,})(?=\S)")
#: A trail of links ("Home > News > Health"): where the page sits on its site.
_BREADCRUMB = re.compile(r"\S\s+[>\u203a\u00bb]\s+\S")


def _not_a_title(line: Line) -> bool:
    """Lines a title is never: too short, a teaser, navigation, a menu or a table's head (two
    gaps between cells), a trail of links, or an e-mail's sender, recipients or date."""
    text = line.text
    return (line.words < 5 or text.endswith(_TRUNCATED) or _NAV_START.match(text) is not None
            or len(_CELL_GAP.findall(text)) >= 2 or _BREADCRUMB.search(text) is not None
            or _MAIL_HEADER.match(text) is not None)


def title_line(all_lines: list[Line]) -> Line | None:
    """The first line of five words or more, when it reads as a heading (no final full stop);
    an e-mail's subject without its label."""
    for line in all_lines[:-1]:
        subject = _MAIL_SUBJECT.match(line.text)
        if subject:
            start = line.span.start + subject.end()
            return Line(Span(start, line.span.end), line.text[subject.end():])
        if _not_a_title(line):
            continue
        words = line.words
        heading = words <= 25 and not line.text.endswith((".", ":"))
        return line if heading and not is_keyword_list(line.text) else None
    return None


@dataclass(slots=True)
class Layout:
    """What :func:`layout` finds in a text."""

    title: Line | None
    metadata: ReportMetadata
    body: tuple[Span, ...]


#: A further "Key: value" pair on a metadata line, after a gap of cells ("Source: X   Views: 12").
_NEXT_PAIR = re.compile(r"(?:\t| {2,}|\s\|\s?)(?=[A-Z][\w ()'-]{1,40}?\s*[:\uff1a])")
#: A unit of an organisation: a page's "Source:" naming one tells who posted it, not a journal.
_ORGANISATION = re.compile(
    r"\b(?:department|dept|office|bureau|division|section|centre|center|committee|"
    r"commission|administration|unit|team|newsroom|press|publicity|propaganda)\b", re.IGNORECASE)


def _metadata_fields(line: Line) -> list[tuple[str, str]]:
    """The fields of a metadata line, one per "Key: value" cell ("Source: Publicity Department
    Release date: 2023-05-02   Views: 1234" holds three); none when its first cell is no field.
    A "Source" sharing its line with other pairs, or naming a department or office, is a web
    page's poster, not a journal."""
    cells = _NEXT_PAIR.split(line.text)
    if _one_field(cells[0]) is None:
        return []
    found: list[tuple[str, str]] = []
    for cell in cells:
        field = _one_field(cell)
        if field is None:
            continue
        if field[0] == "journal" and _is_source(cell) \
                and (len(cells) > 1 or _ORGANISATION.search(field[1])):
            field = ("other", field[1])
        found.append(field)
    return found


def _is_source(cell: str) -> bool:
    return cell.lstrip().lower().startswith("source")


def _one_field(cell: str) -> tuple[str, str] | None:
    m = _META_RE.match(cell)
    if not m or len(m.group(1).split()) > 4:
        return None
    name = m.group(1).strip().lower()
    if name in _META_FIELDS or name.endswith(("issn", "rank", "index", "type", "subject(s)")):
        return _META_FIELDS.get(name, "other"), m.group(2).strip()
    return None


def _collect(fields: dict[str, list[str]], text: str) -> ReportMetadata:
    doi = _DOI_RE.search(text)
    years = [int(y) for v in fields.get("year", []) for y in _YEAR_RE.findall(v)]
    authors = tuple(a.strip(" ,") for a in fields.get("authors", []) if a.strip(" ,"))
    journal = next((j for j in fields.get("journal", []) if j), None)
    language = next((v for v in fields.get("language", []) if v), None)
    year = years[0] if years else None
    day = next((d.group() for v in fields.get("year", []) if (d := _ISO_DAY.search(v))), None)
    return ReportMetadata(
        doi=doi.group(1) if doi else None,
        authors=authors,
        journal=journal,
        year=year,
        date=day if day and year and day.startswith(str(year)) else str(year) if year else None,
        language=language,
    )


def layout(text: str) -> Layout:
    """Title, metadata and body spans of ``text`` (see the module docstring)."""
    all_lines = lines(text)
    title = title_line(all_lines)
    fields: dict[str, list[str]] = {}
    body: list[Span] = []
    current: str | None = None
    links = False  # inside a list of links to other stories
    back = False  # inside the back matter (references, funding…)
    for line in all_lines:
        if title is not None and line.span.end == title.span.end:
            continue
        found = _metadata_fields(line)
        if found:
            for current, value in found:
                fields.setdefault(current, []).append(value)
            continue
        if current and not line.text.endswith(".") and line.words <= 6:
            fields.setdefault(current, []).append(line.text)  # continuation: a name per line
            continue
        current = None
        if _BACK_MATTER_HEADING.match(line.text):
            back = True
            continue
        if back and not (is_heading(line) and line.words <= _SECTION_WORDS
                         and not _citation(line.text)):
            continue
        back = False
        if _citation(line.text) or _BACK_MATTER_LABEL.match(line.text):
            continue
        if links and line.words <= _LINK_WORDS:
            continue
        links = line.words <= 4 and _LINK_LIST.match(line.text) is not None
        if links or is_navigation(line) or is_keyword_list(line.text):
            continue
        credit = _CREDIT_BEFORE.match(line.text)
        body.append(Span(line.span.start + credit.end(), line.span.end) if credit else line.span)
    return Layout(title, _collect(fields, text), tuple(body))
