"""Report structure: title, metadata, body; web boilerplate by its shape."""

from fhirsvc.extract import parse_report


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
