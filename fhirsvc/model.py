"""The typed records that travel between the pipeline's stages.

    text ──extract──► ExtractedReport ──code──► CodedReport ──map──► Bundle

Extraction (``fhirsvc.extract``) reads a :class:`Report` and finds the patients it
describes and the :class:`Mention` s that belong to each (``ExtractedReport``).
Coding (``fhirsvc.terminology``) attaches codings to each mention, giving a
:class:`Fact`. Mapping (``fhirsvc.mappers``) turns facts into FHIR resources.
Every stage can be tested alone by building these records by hand.

All offsets are character offsets into :attr:`Report.text` exactly as given (the
derivation-reference extension of every resource points back at them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` in the source text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    @property
    def length(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class ReportMetadata:
    """Bibliographic facts a report states about itself (all optional)."""

    doi: str | None = None
    authors: tuple[str, ...] = ()
    journal: str | None = None
    year: int | None = None
    #: Partial ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) of publication or of the story.
    date: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """A source document and its structure.

    ``body`` lists the narrative parts; web boilerplate (navigation, teaser lists,
    paywall notices, keyword lists) lies outside every body span and is never read
    for facts. ``sentences`` partition the body.
    """

    text: str
    #: File basename without extension, or ``"-"`` for standard input; names the output file.
    name: str
    title: str | None = None
    title_span: Span | None = None
    metadata: ReportMetadata = field(default_factory=ReportMetadata)
    body: tuple[Span, ...] = ()
    sentences: tuple[Span, ...] = ()


# --------------------------------------------------------------------------- context


class Experiencer(StrEnum):
    """Whose the fact is (ConText's experiencer, widened for case reports)."""

    PATIENT = "patient"
    FAMILY = "family"  # a relative, not as donor ("his mother had diabetes")
    DONOR = "donor"  # the source of a graft or of cells
    OTHER = "other"  # another named or described person, a population, "over 200 children"


@dataclass(frozen=True, slots=True)
class Context:
    """How a mention is asserted (https://doi.org/10.1016/j.jbi.2009.05.002, ConText).

    ``hypothetical`` covers generic and conditional statements too ("can also treat
    viral diseases such as AIDS", "if treatment fails"): such a mention is nobody's
    fact. ``historical`` marks a past episode as opposed to the current one.
    ``not_done`` says why a mention is negated: the text says the test or treatment did not
    happen ("cultures were not done"), not that what it looks for is absent; a test not done
    has no result at all (https://hl7.org/fhir/R4/observation.html: status ``cancelled``).
    """

    negated: bool = False
    not_done: bool = False
    uncertain: bool = False
    hypothetical: bool = False
    historical: bool = False
    experiencer: Experiencer = Experiencer.PATIENT

    @property
    def is_patient_fact(self) -> bool:
        """True when the mention states something about the patient it is attached to."""
        return self.experiencer is Experiencer.PATIENT and not self.hypothetical


# --------------------------------------------------------------------------- values


class Comparator(StrEnum):
    """http://hl7.org/fhir/ValueSet/quantity-comparator."""

    LT = "<"
    LE = "<="
    GE = ">="
    GT = ">"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit as written and, when known, as a UCUM code."""

    value: Decimal
    unit_text: str | None = None
    ucum: str | None = None
    comparator: Comparator | None = None


@dataclass(frozen=True, slots=True)
class Range:
    """``low``–``high`` as written ("5.48 to 5.98 × 10^7/L")."""

    low: Quantity | None
    high: Quantity | None


class ObservationCategory(StrEnum):
    """What kind of observation a test is, as the codes of
    https://terminology.hl7.org/CodeSystem-observation-category.html name it: a test's own
    concept may say (an examination finding is ``exam``, an assessment scale ``survey``);
    otherwise the mapper decides from the mention's kind."""

    LABORATORY = "laboratory"
    IMAGING = "imaging"
    EXAM = "exam"
    SURVEY = "survey"
    #: Heart and respiratory rate, blood pressure, temperature, oxygen saturation, body
    #: weight, height, BMI and head circumference: what R4's vital signs category names.
    VITAL_SIGNS = "vital-signs"


class Qualitative(StrEnum):
    """Qualitative results, mapped to v3 ObservationInterpretation / SNOMED CT by the mappers."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    #: What was looked for is not there ("bowel sounds were absent", "absent reflexes"): an
    #: examination's own word, not a test's negative reading.
    ABSENT = "absent"
    NORMAL = "normal"
    ABNORMAL = "abnormal"
    HIGH = "high"
    LOW = "low"
    INCREASED = "increased"
    DECREASED = "decreased"
    SUSCEPTIBLE = "susceptible"
    RESISTANT = "resistant"
    #: A course judged as a whole ("improvement in renal function", "worsened respiratory
    #: status"): v3 ObservationInterpretation B (Better) and W (Worse).
    BETTER = "better"
    WORSE = "worse"


@dataclass(frozen=True, slots=True)
class Result:
    """The result of a test: a quantity, a range, or a qualitative value (at most one);
    with none of them, the words alone ("full" of "full donor chimerism")."""

    text: str
    span: Span
    quantity: Quantity | None = None
    range: Range | None = None
    qualitative: Qualitative | None = None
    #: Paired values written as one ("120/80 mmHg"): all quantities in order, the first
    #: also in ``quantity`` (for blood pressure, systolic then diastolic).
    components: tuple[Quantity, ...] = ()
    #: Paired ranges written as one ("110-130/70-80 mmHg"): each range in order, the first
    #: also in ``range`` (for blood pressure, systolic then diastolic).
    ranges: tuple[Range, ...] = ()
    #: How a value was reached, as written before it ("increased to 362 µmol/L", "dropped
    #: to 92%"): a qualitative result (increased or decreased) of its own.
    change: Result | None = None
    #: How the text judges a value before naming the test ("elevated bilirubin (2.2 mg/dL)",
    #: "low hemoglobin of 8.1 g/dL"): a qualitative result of its own.
    judged: Result | None = None
    #: A semi-quantitative reading ("2+", "+++", "trace"), as a dipstick or a stain grades
    #: what it finds: a measurement of a sign as much as a number is ("proteinuria (3+)").
    graded: bool = False

    def out_of_maximum(self) -> bool:
        """Two numbers joined by a slash with no unit, the first at most the second ("power
        4/5", "GCS 14/15", "a 2/6 murmur"), are a score out of its maximum: the first number
        alone would lose what it is out of. Paired values with a unit or falling ("120/80", a
        blood pressure) are not."""
        if len(self.components) != 2 or any(q.unit_text or q.ucum for q in self.components):
            return False
        score, maximum = self.components
        return score.value <= maximum.value


@dataclass(frozen=True, slots=True)
class When:
    """A time expression and what it resolves to.

    ``date`` is a FHIR partial date when the text pins one ("2016", "November 2023");
    ``relative`` keeps the words when it does not ("about 3 weeks after the transplant").
    """

    text: str
    span: Span
    date: str | None = None
    end_date: str | None = None
    relative: str | None = None


@dataclass(frozen=True, slots=True)
class Dosage:
    """How a medication or cell therapy was given, as far as the text says."""

    text: str
    span: Span
    dose: Quantity | None = None
    route: str | None = None  # words as written: "oral", "intravenous", "intrathecal"
    frequency: str | None = None  # words as written: "twice daily", "8 times"
    count: int | None = None  # number of administrations when stated
    period: str | None = None  # "in 2 months", "for 8 weeks"


# --------------------------------------------------------------------------- mentions


class MentionKind(StrEnum):
    """What a mention names; decides the FHIR resource it becomes."""

    DISORDER = "disorder"  # → Condition
    FINDING = "finding"  # a sign or symptom → Condition
    DIAGNOSTIC_PROCEDURE = "diagnostic-procedure"  # → Procedure (or Observation with a result)
    THERAPEUTIC_PROCEDURE = "therapeutic-procedure"  # → Procedure (incl. cell therapies)
    LAB_TEST = "lab-test"  # → Observation
    MEDICATION = "medication"  # → MedicationAdministration


#: The kinds of mention that become a Condition.
CONDITION_KINDS = (MentionKind.DISORDER, MentionKind.FINDING)


class ClinicalStatus(StrEnum):
    """http://hl7.org/fhir/ValueSet/condition-clinical."""

    ACTIVE = "active"
    RECURRENCE = "recurrence"
    RELAPSE = "relapse"
    INACTIVE = "inactive"
    REMISSION = "remission"
    RESOLVED = "resolved"


class Halt(StrEnum):
    """Why care the text names was not given, or stopped: the ``statusReason`` words of a
    Procedure or MedicationAdministration (uncoded: the SNOMED CT situation codes of
    http://hl7.org/fhir/ValueSet/procedure-not-performed-reason are not in the project's
    reference sets). ``STOPPED`` is care given, then discontinued or withheld."""

    REFUSED = "refused"
    CONTRAINDICATED = "contraindicated"
    DEFERRED = "deferred"
    NOT_POSSIBLE = "not possible"
    NOT_NEEDED = "not needed"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a graft or cells came from ("from his sister", "cord blood", "autologous")."""

    text: str
    span: Span
    #: A v3 RoleCode for a relative donor ("SIS", "BRO", "MTH", "FTH"…), when one applies.
    relation: str | None = None


@dataclass(frozen=True, slots=True)
class Staging:
    """The disorder a stage, grade or TNM phrase qualifies ("CKD stage 3", "stage IIIA lung
    cancer"): the disorder mention's span and words, and the phrase as written ("stage 3"),
    which becomes the Condition's ``stage.summary``
    (https://hl7.org/fhir/R4/condition-definitions.html#Condition.stage)."""

    disorder: Span
    disorder_text: str
    summary: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A clinical concept named in the text, with everything the text says about it.

    ``concepts`` are keys into the terminology lexicon that matched (empty when the
    mention was found by pattern only); the coding stage turns them into codings.
    """

    kind: MentionKind
    text: str
    span: Span
    context: Context = field(default_factory=Context)
    concepts: tuple[str, ...] = ()
    status: ClinicalStatus | None = None
    when: When | None = None
    result: Result | None = None
    dosage: Dosage | None = None
    source: Source | None = None
    #: Span of the mention this one treats or investigates (Procedure.reasonReference).
    reason: Span | None = None
    #: Why a procedure or drug was not given, or that it was stopped (``statusReason``).
    halt: Halt | None = None
    #: The disorder a stage or grade (a lab-test mention) qualifies, when it is written beside it.
    staging: Staging | None = None


# --------------------------------------------------------------------------- patients


class Sex(StrEnum):
    """http://hl7.org/fhir/ValueSet/administrative-gender."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Age:
    """Age as the report states it: value and UCUM unit (``a``, ``mo``, ``wk``, ``d``)."""

    value: Decimal
    unit: str
    span: Span
    #: Partial ISO date the age refers to, when the report gives one.
    as_of: str | None = None
    #: The upper end, in ``unit``, when the words state only a range from ``value`` ("a
    #: newborn": 0 to 27 days).
    high: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PatientCase:
    """One person the report describes as a patient, and the mentions that are theirs.

    ``key`` is stable for the same text ("p1" for the index patient), so resource ids
    derived from it are deterministic.
    """

    key: str
    sex: Sex = Sex.UNKNOWN
    sex_span: Span | None = None
    age: Age | None = None
    name: str | None = None
    name_span: Span | None = None
    mentions: tuple[Mention, ...] = ()
    #: The date of birth the report states, as a partial ISO date (:mod:`~fhirsvc.extract.births`).
    birth_date: str | None = None
    birth_span: Span | None = None


@dataclass(frozen=True, slots=True)
class ExtractedReport:
    """The output of extraction: the report and its patients (possibly none)."""

    report: Report
    patients: tuple[PatientCase, ...] = ()


# --------------------------------------------------------------------------- coded facts


@dataclass(frozen=True, slots=True, order=True)
class Coding:
    """A code in a code system, with the display the code system gives it.

    ``display`` is empty when fhirsvc has no verified display for the code (a SNOMED CT
    code reached through an HPO cross-reference, an ORPHA code HPO's annotations do not
    name): writers then leave ``Coding.display`` out rather than borrow another
    terminology's name for it.
    """

    system: str
    code: str
    display: str


@dataclass(frozen=True, slots=True)
class PartCode:
    """What one of a panel's paired values measures ("systolic blood pressure" of "120/80
    mmHg"): its name and codings."""

    text: str
    codings: tuple[Coding, ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """A mention with its codings: what the mappers turn into one resource."""

    mention: Mention
    codings: tuple[Coding, ...] = ()
    #: Codings for the result (e.g. SNOMED CT "Positive"), the route, or a cell product.
    value_codings: tuple[Coding, ...] = ()
    #: The observation category the mention's concept names (None: the mention's kind decides).
    category: ObservationCategory | None = None
    #: What each of the result's paired values measures, in order, when the test's concept is a
    #: panel of them (a blood pressure's systolic and diastolic values); else empty.
    parts: tuple[PartCode, ...] = ()


@dataclass(frozen=True, slots=True)
class CodedPatient:
    case: PatientCase
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True, slots=True)
class CodedReport:
    """The output of coding: what the mappers read."""

    report: Report
    patients: tuple[CodedPatient, ...] = ()
