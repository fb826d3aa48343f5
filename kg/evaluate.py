"""Score the extractor against a gold file (``gold.jsonl``) and the pages it describes.

Matching rules, per field (all figures are micro-averaged over the pages):

* ``title``, ``date``, ``place``, ``source``, ``content_type``: exact string equality of the
  gold value and the predicted one (None equals None); the figure is accuracy over pages.
* ``states``, ``partners``, ``other_countries``, ``structures``, ``fields_of_work``: sets per
  page; precision, recall and F1 over all (page, item) pairs. Order does not matter.
* ``person_name``: (page, name) pairs, names compared after Unicode NFC and whitespace
  collapsing, case-sensitively; precision/recall/F1.
* ``person_name_role``: (page, name, role) triples, roles lower-cased and compared as sets per
  person; a gold person with no role contributes nothing; precision/recall/F1.
* ``affiliation``: for each gold person whose name was predicted, whether the predicted
  affiliation (alpha-2 code or canonical structure label, or None) equals the gold one;
  accuracy.
* ``event_type``: the event type per page (None equals None); accuracy.
* ``event_agents`` and ``event_places``: sets per page; F1. ``event_date``: accuracy.

A page that cannot be read counts as a page with every value missing.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field

from kg.errors import ParseError
from kg.extract import extract
from kg.gold import to_gold
from kg.sources import read_path

EXACT = ("title", "date", "place", "source", "content_type")
SETS = ("states", "partners", "other_countries", "structures", "fields_of_work")


@dataclass
class FieldScore:
    """Counts for one field; ``kind`` is ``accuracy`` or ``f1``."""

    kind: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """True positives over predicted items (1.0 when nothing was predicted or expected)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0 if not self.fn else 0.0

    @property
    def recall(self) -> float:
        """True positives over gold items (1.0 when nothing was expected or predicted)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0 if not self.fp else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def value(self) -> float:
        """The headline figure: accuracy (``tp / (tp + fn)``) or F1."""
        if self.kind == "accuracy":
            return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return self.f1

    def add(self, gold: set, pred: set) -> None:
        """Count one page's sets."""
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def hit(self, ok: bool) -> None:
        """Count one accuracy trial."""
        self.tp += ok
        self.fn += not ok


@dataclass
class Scorecard:
    """Per-field scores and the per-page differences behind them."""

    fields: dict[str, FieldScore] = field(default_factory=dict)
    pages: int = 0
    misses: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> float:
        return self.fields[name].value

    def format(self) -> str:
        """A plain-text table: field, kind, precision, recall, F1 or accuracy."""
        rows = [f"{'field':<18} {'measure':<9} {'P':>6} {'R':>6} {'score':>6}   ({self.pages} pages)"]
        for name, s in self.fields.items():
            p, r = ("", "") if s.kind == "accuracy" else (f"{s.precision:6.3f}", f"{s.recall:6.3f}")
            rows.append(f"{name:<18} {s.kind:<9} {p:>6} {r:>6} {s.value:6.3f}")
        return "\n".join(rows)


def _name(n: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", n)).strip()


def _blank() -> dict:
    return {k: None for k in EXACT} | {k: [] for k in SETS} | {"persons": [], "event": None}


def compare(card: Scorecard, gold: dict, pred: dict) -> None:
    """Add one page's comparison to ``card``."""
    f = card.fields
    for k in EXACT:
        f.setdefault(k, FieldScore("accuracy")).hit(gold[k] == pred[k])
        if gold[k] != pred[k]:
            card.misses.append(f"{gold['file']}: {k} gold={gold[k]!r} pred={pred[k]!r}")
    for k in SETS:
        g, p = set(gold[k]), set(pred[k])
        f.setdefault(k, FieldScore("f1")).add(g, p)
        if g != p:
            card.misses.append(f"{gold['file']}: {k} missing={sorted(g - p)} extra={sorted(p - g)}")
    gp = {_name(p["name"]): p for p in gold["persons"]}
    pp = {_name(p["name"]): p for p in pred["persons"]}
    f.setdefault("person_name", FieldScore("f1")).add(set(gp), set(pp))
    if set(gp) != set(pp):
        card.misses.append(f"{gold['file']}: persons missing={sorted(set(gp) - set(pp))} extra={sorted(set(pp) - set(gp))}")
    roles = f.setdefault("person_name_role", FieldScore("f1"))
    aff = f.setdefault("affiliation", FieldScore("accuracy"))
    for n in gp.keys() | pp.keys():
        g = {r.lower() for r in gp[n]["roles"]} if n in gp else set()
        p = {r.lower() for r in pp[n]["roles"]} if n in pp else set()
        roles.add({(n, r) for r in g}, {(n, r) for r in p})
        if n in gp and n in pp:
            ok = gp[n]["affiliation"] == pp[n]["affiliation"]
            aff.hit(ok)
            if g != p or not ok:
                card.misses.append(f"{gold['file']}: person {n}: roles gold={sorted(g)} pred={sorted(p)} "
                                   f"affiliation gold={gp[n]['affiliation']} pred={pp[n]['affiliation']}")
    ge, pe = gold["event"] or {}, pred["event"] or {}
    f.setdefault("event_type", FieldScore("accuracy")).hit(ge.get("type") == pe.get("type"))
    f.setdefault("event_agents", FieldScore("f1")).add(set(ge.get("agents", [])), set(pe.get("agents", [])))
    f.setdefault("event_places", FieldScore("f1")).add(set(ge.get("places", [])), set(pe.get("places", [])))
    f.setdefault("event_date", FieldScore("accuracy")).hit(ge.get("date") == pe.get("date"))
    if ge != pe:
        card.misses.append(f"{gold['file']}: event gold={ge} pred={pe}")
    card.pages += 1


def score(gold_path: str | os.PathLike, pages_dir: str | os.PathLike) -> Scorecard:
    """Read every page named in the gold file from ``pages_dir``, extract, and compare.

    :raises OSError: if the gold file cannot be read.
    """
    card = Scorecard()
    with open(gold_path, encoding="utf-8") as fh:
        golds = [json.loads(line) for line in fh if line.strip()]
    for gold in golds:
        item = next(read_path(os.path.join(pages_dir, gold["file"])), None)
        pred = _blank() if item is None or isinstance(item, ParseError) else to_gold(extract(item))
        pred["file"] = gold["file"]
        compare(card, gold, pred)
    return card


if __name__ == "__main__":
    import sys

    result = score(sys.argv[1], sys.argv[2])
    if "-v" in sys.argv:
        print("\n".join(result.misses))
    print(result.format())
