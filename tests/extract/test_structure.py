"""Report structure: title, metadata, body; web boilerplate by its shape."""

from fhirsvc.extract import parse_report
from fhirsvc.extract.structure import readable, unwrap


def _body(text: str) -> str:
    report = parse_report(text, "x")
    return " ".join(text[s.start : s.end] for s in report.body)


def test_teasers_navigation_and_reader_notices_are_not_body() -> None:
    text = (
        "A man of 40 years presented with fever and was treated with antibiotics for a week.\n"
        "Related News\n"
        "How much does it cost to treat cancer? In...\n"
        "Most patients with colon cancer are over 40 years...\n"
        "<<: What to do with a headache\n"
        "The content you want is available to subscribers.\n"
        "Already have an account? Click here to sign in.\n"
    )
    assert _body(text) == text.splitlines()[0]


def test_a_keyword_list_is_not_body() -> None:
    text = ("Title of a case report about a rare disease\n"
            "medicine , purpura , cirrhosis , rash , biology\n"
            "He had a rash on both legs.")
    assert _body(text) == "He had a rash on both legs."


def test_title_and_bibliographic_metadata_are_read() -> None:
    text = (
        "Stem cell therapy for liver cirrhosis in a child with purpura\n"
        "Author(s) -\nKai Mu,\nJing Zhang\n"
        "Publication year - 2018\n"
        "DOI - 10.1097/md.0000000000013287\n"
        "A 12-year-old boy presented with purpura on both legs.\n"
    )
    report = parse_report(text, "x")
    assert report.title == "Stem cell therapy for liver cirrhosis in a child with purpura"
    assert report.metadata.doi == "10.1097/md.0000000000013287"
    assert report.metadata.year == 2018
    assert report.metadata.authors == ("Kai Mu", "Jing Zhang")
    assert _body(text) == "A 12-year-old boy presented with purpura on both legs."


def test_one_sentence_per_line_reports_keep_every_line() -> None:
    text = "A 28-year-old man presented with palpitations.\nECG was normal.\nHe recovered.\n"
    assert len(parse_report(text, "x").sentences) == 3


def test_credit_lines_of_a_news_story_are_not_body() -> None:
    text = ("A 52-year-old woman had cough for two years.\n"
            "Editor: Chen Hua.\n"
            "Editor in charge: Li Ming\n"
            "(Reporter Zhao Lei, correspondent Sun Yu)\n"
            "Share this article:\n")
    assert _body(text) == "A 52-year-old woman had cough for two years."


def test_a_credit_in_brackets_before_the_first_sentence_is_left_out_of_the_body() -> None:
    text = "(Reporter Liu Min) The boy had fever since birth.\n"
    assert _body(text) == "The boy had fever since birth."


def test_a_line_that_only_starts_with_a_role_word_stays_body() -> None:
    text = "Reporters learned that the girl had fever for two days.\n"
    assert _body(text) == text.strip()


def test_the_short_lines_under_a_related_news_heading_are_links_whatever_their_ending() -> None:
    text = ("A 40-year-old man had fever and was treated with antibiotics for a week.\n"
            "Related News\n"
            "Hospital opens new cancer ward.\n"
            "Flu cases rise as winter begins.\n")
    assert _body(text) == text.splitlines()[0]


def test_a_long_line_after_a_list_of_links_is_body_again() -> None:
    long_line = ("Later the man returned with a cough and fever, and a chest radiograph showed "
                 "pneumonia of the right lower lobe.")
    text = f"Related articles\nHospital opens new cancer ward.\n{long_line}\n"
    assert _body(text) == long_line


_WRAPPED = (
    "Unusual presentation of a common disease\n"
    "\n"
    "A 61-year-old woman with a history of hypertension presented with\n"
    "three days of fever, productive cough and pleuritic chest pain. On\n"
    "examination she was febrile and tachypneic, with crackles over the\n"
    "right lower lobe. Chest radiography showed a right lower lobe\n"
    "consolidation and she was treated with intravenous ceftriaxone.\n"
    "\n"
    "Her symptoms resolved within a week and she was discharged home on\n"
    "oral antibiotics after five days in hospital.\n"
)


def test_a_paragraph_wrapped_at_a_width_reads_as_whole_sentences() -> None:
    report = parse_report(_WRAPPED, "x")
    sentences = [_WRAPPED[s.start : s.end].replace("\n", " ") for s in report.sentences]
    assert report.title == "Unusual presentation of a common disease"
    assert sentences[1] == ("On examination she was febrile and tachypneic, with crackles over "
                            "the right lower lobe.")
    assert sentences[-1].startswith("Her symptoms resolved") and sentences[-1].endswith("hospital.")
    assert len(sentences) == 4


def test_unwrapping_keeps_every_offset_and_only_turns_breaks_into_spaces() -> None:
    joined = unwrap(_WRAPPED)
    assert len(joined) == len(_WRAPPED)
    assert [a for a, b in zip(_WRAPPED, joined, strict=True) if a != b] == ["\n"] * 5
    assert "\n\n" in joined  # paragraphs stay apart


def test_list_items_table_rows_and_headings_are_not_joined_to_the_line_above() -> None:
    text = ("Laboratory results on admission were\n"
            "- hemoglobin 9.1 g/dL\n"
            "Sodium  131 mmol/L\n"
            "Case presentation\n"
            "A 40-year-old man presented with chest pain.\n")
    assert unwrap(text) == text


def test_a_line_ending_with_a_word_that_cannot_end_a_sentence_goes_on_below() -> None:
    text = "She was started on treatment with\nMethotrexate and folic acid.\nShe improved.\n"
    joined = unwrap(text)
    assert joined.splitlines() == ["She was started on treatment with Methotrexate and folic acid.",
                                   "She improved."]


def test_results_on_lines_of_their_own_are_body_though_short_and_unpunctuated() -> None:
    text = ("A 45-year-old man presented with fatigue.\n"
            "Laboratory results on admission:\n"
            "Hemoglobin\t9.2 g/dL\n"
            "Platelets  45 x 10^9/L\n"
            "Sodium: 128 mmol/L\n"
            "Creatinine 2.3 mg/dL\n"
            "Related News\n")
    body = _body(text)
    for row in ("Hemoglobin\t9.2 g/dL", "Platelets  45 x 10^9/L", "Sodium: 128 mmol/L",
                "Creatinine 2.3 mg/dL"):
        assert row in body
    assert "Related News" not in body


def test_back_matter_and_citations_are_not_body() -> None:
    text = ("A 45-year-old man presented with fever.\n"
            "References\n"
            "1. Smith J, Brown K. Pulmonary embolism in young adults. N Engl J Med. "
            "2010;362:1-10.\n"
            "2. Wang X. Diabetes mellitus and stroke. BMJ 2018; 360: k100\n"
            "Conflict of interest: the authors have no diabetes mellitus to declare.\n"
            "Figure legends\n"
            "Figure 1. Chest radiograph showing a consolidation.\n")
    body = _body(text)
    assert body.startswith("A 45-year-old man presented with fever.")
    assert "embolism" not in body and "Diabetes" not in body and "declare" not in body
    assert body.endswith("Figure 1. Chest radiograph showing a consolidation.")


def test_a_citation_in_the_narrative_without_a_references_heading_is_not_body() -> None:
    text = ("He had a stroke.\n"
            "[3] Lee A, Park S. Lung cancer in smokers. Lancet. 2015;385(9):100-9.\n")
    assert _body(text) == "He had a stroke."


def test_funding_and_consent_paragraphs_under_their_heading_are_not_body() -> None:
    text = ("She recovered after surgery.\n"
            "Funding\n"
            "This work on hepatitis C was supported by a national grant.\n"
            "Consent for publication\n"
            "Written informed consent was obtained from the patient.\n")
    assert _body(text) == "She recovered after surgery."


def test_a_table_drawn_with_bars_is_read_as_cells_set_apart() -> None:
    text = ("A 45-year-old man presented with fatigue.\n"
            "| Test | Result | Reference range |\n"
            "| Hemoglobin (g/dL) | 9.2 | 13.5-17.5 |\n"
            "WBC | 12.3 x 10^9/L | 4.0-10.0\n")
    reading = readable(text)
    assert len(reading) == len(text) and "|" not in reading
    assert "Hemoglobin (g/dL)   9.2   13.5-17.5" in reading
    assert "Hemoglobin (g/dL) | 9.2" in _body(text) and "Reference range" not in _body(text)


def test_a_menu_and_a_trail_of_links_are_no_title() -> None:
    text = ("About | Patients | Visiting hours | Careers | Search\n"
            "You are here: Main page > Press > Stories\n"
            "Surgeons remove a kidney stone from a 60-year-old teacher\n\n"
            "A 60-year-old man had flank pain for a week.\n")
    assert parse_report(text, "x").title == (
        "Surgeons remove a kidney stone from a 60-year-old teacher")


def test_an_emails_subject_is_its_title_and_its_sender_is_not() -> None:
    text = ("From: Dr Ann Lowe, Hill Street Practice\n"
            "To: Dermatology outpatients\n"
            "Subject: Urgent referral for a rash on both shins\n\n"
            "Dear colleague,\n\nThis 50 year old man has had a rash for a month.\n")
    report = parse_report(text, "x")
    assert report.title == "Urgent referral for a rash on both shins"
    assert _body(text) == "This 50 year old man has had a rash for a month."


def test_a_letters_paragraph_that_asks_the_reader_is_body() -> None:
    text = ("Dear colleague,\n\nThis 50 year old man has had a rash on both shins for a month "
            "and a fever since Monday.\n\nI suspect erythema nodosum. I would value your "
            "advice.\n")
    assert "I suspect erythema nodosum." in _body(text)


def test_a_referral_that_thanks_the_reader_for_seeing_a_person_is_body() -> None:
    text = ("Dear Dr Ahmed,\n"
            "Thank you for seeing this elderly lady with a swollen knee.\n"
            "She has had pain in it for two weeks and takes naproxen.\n"
            "Thank you for reading our newsletter.\n")
    body = _body(text)
    assert "Thank you for seeing this elderly lady with a swollen knee." in body
    assert "newsletter" not in body


def test_a_reader_notice_naming_a_disease_is_body() -> None:
    text = ("Dear colleague,\n"
            "I would be grateful if you could advise on her cellulitis.\n"
            "She is 70 and was given flucloxacillin.\n")
    assert "advise on her cellulitis" in _body(text)


def test_a_pages_source_with_other_fields_or_naming_an_office_is_no_journal() -> None:
    text = ("An outbreak of measles among children in a rural county\n"
            "Source: Press Office   Date published: 2021-11-19   Clicks: 88\n"
            "A 5-year-old girl presented with fever and a rash on her face.\n")
    report = parse_report(text, "x")
    assert report.metadata.journal is None
    assert report.metadata.year == 2021
    assert report.metadata.date == "2021-11-19"
    assert "Clicks" not in _body(text)


def test_a_source_naming_an_office_alone_is_no_journal_but_a_journal_is() -> None:
    office = parse_report("A case of a boy with a broken arm and fever\n"
                          "Source: Health Bureau of the district\n"
                          "He fell from a tree.\n", "x")
    journal = parse_report("A case of a boy with a broken arm and fever\n"
                           "Source: Annals of Rare Bone Diseases\n"
                           "He fell from a tree.\n", "x")
    assert office.metadata.journal is None
    assert journal.metadata.journal == "Annals of Rare Bone Diseases"
