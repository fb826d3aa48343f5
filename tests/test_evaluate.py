"""The scorer on the 37 corpus pages, with the thresholds the extractor must meet."""
from pathlib import Path

import pytest

from kg.evaluate import FieldScore, score

CORPUS = Path(__file__).parent / "data" / "corpus"

THRESHOLDS = {
    "title": 0.97, "date": 0.97, "place": 0.97, "source": 0.97, "content_type": 0.97,
    "states": 0.97, "partners": 0.95, "other_countries": 0.95, "structures": 0.93,
    "person_name": 0.93, "person_name_role": 0.8, "affiliation": 0.85, "event_type": 0.85,
    "fields_of_work": 0.7,
}


@pytest.fixture(scope="module")
def card():
    return score(CORPUS / "gold.jsonl", CORPUS)


@pytest.mark.parametrize("field,minimum", THRESHOLDS.items())
def test_corpus_scores_meet_thresholds(card, field, minimum):
    assert card.pages == 37
    assert card[field] >= minimum, card.format()


def test_format_lists_every_field(card):
    table = card.format()
    assert all(f in table for f in THRESHOLDS) and "37 pages" in table


def test_field_score_arithmetic():
    s = FieldScore("f1")
    s.add({"AT", "DE"}, {"AT", "FR"})
    assert (s.precision, s.recall, s.f1) == (0.5, 0.5, 0.5)
    a = FieldScore("accuracy")
    a.hit(True), a.hit(False), a.hit(True)
    assert a.value == pytest.approx(2 / 3)


def test_unreadable_page_counts_as_empty(tmp_path):
    gold = tmp_path / "gold.jsonl"
    line = (CORPUS / "gold.jsonl").read_text(encoding="utf-8").splitlines()[7]
    gold.write_text(line + "\n", encoding="utf-8")
    (tmp_path / "07-secretary-general-2015-sousse-attack-short.txt").write_bytes(b"")
    card = score(gold, tmp_path)
    assert card["title"] == 0.0 and card["partners"] == 0.0 and card["person_name"] == 0.0
