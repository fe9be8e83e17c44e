"""Words built with the combining form of a disorder or finding name one, uncoded."""

from fhirsvc.extract import extract, wordforms
from fhirsvc.model import Mention, MentionKind
from fhirsvc.terminology import Terminology


def _mentions(terminology: Terminology, sentence: str) -> list[Mention]:
    report = extract("A 58-year-old man was admitted. " + sentence, "t", terminology)
    return [m for m in report.patients[0].mentions
            if m.kind in (MentionKind.DISORDER, MentionKind.FINDING)]


def test_an_unlisted_word_with_a_finding_ending_names_an_uncoded_finding(
        terminology: Terminology) -> None:
    found = _mentions(terminology, "He complained of retrosternalgia.")
    assert [(m.text, m.kind, m.concepts) for m in found] == [
        ("retrosternalgia", MentionKind.FINDING, ())]


def test_an_inflammation_ending_names_a_disorder(terminology: Terminology) -> None:
    found = _mentions(terminology, "Imaging showed peritendinitis of the ankle.")
    assert [(m.text, m.kind) for m in found] == [("peritendinitis", MentionKind.DISORDER)]


def test_a_plural_ending_is_matched(terminology: Terminology) -> None:
    assert [m.text for m in _mentions(terminology, "She reported polymyalgias.")] == [
        "polymyalgias"]


def test_the_adjective_of_a_breathing_word_names_the_finding(terminology: Terminology) -> None:
    found = _mentions(terminology, "On arrival he was agitated and hyperpnoeic.")
    assert ("hyperpnoeic", MentionKind.FINDING) in [(m.text, m.kind) for m in found]


def test_words_with_the_ending_that_name_no_finding_are_not_matched(
        terminology: Terminology) -> None:
    sentence = "The diagnosis was confirmed and the anastomosis was patent; prognosis is good."
    assert _mentions(terminology, sentence) == []


def test_a_short_word_is_no_combining_form() -> None:
    assert wordforms.finding_hits("He fell into a coma.", 0, 20, []) == []


def test_a_negated_word_form_finding_is_negated(terminology: Terminology) -> None:
    found = _mentions(terminology, "There was no retrosternalgia.")
    assert [m.context.negated for m in found] == [True]


def test_a_word_a_lexicon_hit_covers_is_left_to_that_hit(terminology: Terminology) -> None:
    assert wordforms.finding_hits("He had arthritis.", 0, 17, []) != []
    report = extract("A 58-year-old man was admitted. He had arthritis.", "t", terminology)
    hits = [m for m in report.patients[0].mentions if m.text == "arthritis"]
    assert len(hits) == 1 and hits[0].concepts != ()


def test_a_breakdown_ending_names_a_finding_but_a_test_or_treatment_does_not(
        terminology: Terminology) -> None:
    found = _mentions(terminology, "Blood tests showed myocytolysis after dialysis and urinalysis.")
    assert [m.text for m in found] == ["myocytolysis"]


def _words(text: str) -> list[tuple[str, MentionKind]]:
    return [(text[h.start:h.end], h.kind) for h in wordforms.finding_hits(text, 0, len(text), [])]


def test_only_whole_words_are_matched_with_the_kind_of_their_longest_ending() -> None:
    text = "pre-gastritis, gastritis-like, gastritis2, 4gastritis; polyarthralgias and osteomas"
    assert _words(text) == [("gastritis", MentionKind.DISORDER),
                            ("polyarthralgias", MentionKind.FINDING),
                            ("osteomas", MentionKind.DISORDER)]


def test_a_word_is_matched_only_within_the_range_given() -> None:
    text = "gastritis and duodenitis"
    assert [(h.start, h.end) for h in wordforms.finding_hits(text, 3, len(text), [])] == [(14, 24)]


def test_ordinary_words_with_a_finding_ending_name_nothing() -> None:
    text = ("Despite her nostalgia and sympathy for the old clinic, she framed both diplomas. "
            "The tumour stroma was dense. Cell division by meiosis, uptake by phagocytosis and "
            "energy from glycolysis were studied. He later moved to Oklahoma for work. "
            "Stool showed eggs of Schistosoma haematobium. Trypanosoma cruzi was not seen.")
    assert _words(text) == []


def test_procedures_ending_in_lysis_name_no_finding() -> None:
    text = "She underwent laparoscopic adhesiolysis, then ureterolysis and flexor tenolysis."
    assert _words(text) == []


def test_a_word_ending_in_an_excluded_word_or_its_plural_names_nothing() -> None:
    text = "A misdiagnosis was made; two hemodialyses and repeated dialyses; three thrombolyses."
    assert _words(text) == []


def test_a_normal_state_names_no_finding() -> None:
    text = "Labs showed normokalemia, normocalcemia and euvolemia; echo showed normokinesis."
    assert _words(text) == []


def test_a_capitalised_finding_word_at_a_sentence_start_is_still_matched() -> None:
    assert _words("Pancreatitis was suspected. Diagnosis: Cholangitis") == [
        ("Pancreatitis", MentionKind.DISORDER), ("Cholangitis", MentionKind.DISORDER)]


def test_a_capitalised_finding_word_in_a_title_case_heading_is_matched() -> None:
    assert _words("Imaging Findings: Marked Hepatomegaly With Mild Splenomegaly") == [
        ("Hepatomegaly", MentionKind.FINDING), ("Splenomegaly", MentionKind.FINDING)]


def test_a_finding_word_after_an_opening_quote_at_a_sentence_start_is_matched() -> None:
    assert _words("(Pancreatitis was suspected). “Cholangitis” followed.") == [
        ("Pancreatitis", MentionKind.DISORDER), ("Cholangitis", MentionKind.DISORDER)]


def test_a_capitalised_word_after_a_lower_case_word_is_still_a_name() -> None:
    assert _words("She flew from Oklahoma to the coast and (Oklahoma) again.") == []
