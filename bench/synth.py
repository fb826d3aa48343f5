"""Generate N deterministic synthetic releases in the osce.org page layout.

``python -m bench.synth N OUTDIR --seed 1`` writes ``OUTDIR/synth-00000.txt`` ... Each page has
the navigation menu, a content type, a title, the Date/Place/Source header (same-line, next-line
or missing values) and a body with a dateline, States, structures, persons with roles, and an
event, drawn from the reference tables with skewed (realistic) weights.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

from kg import refdata

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
FIRST = ("Anna", "Mark", "Elena", "Ivan", "Sofia", "Peter", "Maria", "Jan", "Lena", "Tomas", "Aida", "Omar", "Nino",
         "Arman", "Dragan", "Milena", "Olena", "Giorgi", "Aziz", "Katarina", "Luca", "Ingrid", "Pavel", "Zarina",
         "Edin", "Ana", "Rustam", "Irina", "Besnik", "Tamar")
LAST = ("Novak", "Berg", "Kowalski", "Petrov", "Hansen", "Rossi", "Dimitrov", "Aliyev", "Schmidt", "Jovanovic",
        "Beridze", "Nazarbekov", "Horvat", "Kovalenko", "Popescu", "Hoxha", "Sargsyan", "Rahimov", "Lindqvist",
        "Ivanova", "Markovic", "Tashkentov", "Mammadov", "Shevchenko", "Kaya", "Dupont", "Müller", "Nowak",
        "Karimov", "Babic")
# States by how often OSCE releases mention them (field operations and crises first); the rest follow
# alphabetically. Weights fall off as 1/rank, so a few States dominate, as on osce.org.
TOP_STATES = ("Ukraine", "Serbia", "Bosnia and Herzegovina", "Moldova", "Georgia", "North Macedonia", "Kyrgyzstan",
              "Armenia", "Azerbaijan", "Albania", "Kazakhstan", "Tajikistan", "Montenegro", "Uzbekistan",
              "Turkmenistan", "Russian Federation", "Austria", "Belarus", "United States of America", "Türkiye")
# releases per year grow from 1996 to the 2010s (weight 1 in 1996, about 4 in 2025)
YEARS = tuple(range(1996, 2026))
YEAR_WEIGHTS = tuple(1 + (y - 1996) / 10 for y in YEARS)
ROLES = ("Minister of Foreign Affairs", "Foreign Minister", "President", "Prime Minister", "Minister of Interior",
         "Speaker of Parliament", "Deputy Minister of Justice")
EVENTS = {
    "Visit": ("{cio} visits {state}", "The OSCE Chairperson-in-Office, {cio}, today concluded a visit to {state}, "
              "where {cio_short} met {role} {person}."),
    "Training": ("OSCE trains police officers in {state}", "Thirty police officers from {state} today completed a "
                 "three-day training course organized by the {op}."),
    "Conference": ("Conference on {field} opens in {city}", "Experts from {state} and {state2} gathered in {city} "
                   "today for an OSCE conference on {field}, opened by Secretary General {sg}."),
    "ProjectActivity": ("{op} hands over equipment in {state}", "The {op} today handed over computers to the "
                        "Ministry of Justice of {state}, in the presence of {role} {person}."),
    "Statement": ("OSCE condemns attack in {state}", "Secretary General {sg} today condemned the attack in {state} "
                  "and expressed condolences to the people of {state}."),
    "ElectionObservation": ("Observers say elections in {state} were competitive", "The elections in {state} were "
                            "competitive, observers from ODIHR and the OSCE PA said in a statement today."),
}
WEIGHTS = {"Visit": 3, "Training": 5, "Conference": 4, "ProjectActivity": 3, "Statement": 2, "ElectionObservation": 2}


def menu() -> list[str]:
    """The navigation menu built from the reference tables."""
    lines = ["-", "Our work", "-", "Fields of work", *(f"- {c.label}" for c in refdata.fields_of_work()),
             "-", "Countries", "-", "Participating States",
             *(f"- {c.name}" for c in refdata.countries() if c.is_participating_state),
             "-", "Structures and institutions", *(f"- {s.label}" for s in refdata.structures()), "- About us"]
    return lines


def _ranked_states() -> list:
    """Participating States, the most mentioned first (see TOP_STATES)."""
    states = [c for c in refdata.countries() if c.is_participating_state]
    rank = {name: i for i, name in enumerate(TOP_STATES)}
    return sorted(states, key=lambda c: (rank.get(c.name, len(rank)), c.name))


def page(rng: random.Random, head: list[str]) -> str:
    """One synthetic page."""
    states = _ranked_states()
    weights = [1 / (i + 1) for i in range(len(states))]
    state, state2 = rng.choices(states, weights, k=2)
    ops = [s for s in refdata.structures() if s.kind == "field-operation" and s.seat]
    op = rng.choice(ops)
    year = rng.choices(YEARS, YEAR_WEIGHTS)[0]
    cios = [t for t in refdata.cio_tenures() if t.year == year] or list(refdata.cio_tenures())
    cio = rng.choice(cios).person
    sgs = [s.person for s in refdata.secretaries_general()]
    kind = rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
    title_t, first_t = EVENTS[kind]
    values = dict(state=state.name, state2=state2.name, op=f"OSCE {op.label}", city=op.seat or "Vienna",
                  field=rng.choice(refdata.fields_of_work()).label.lower(), cio=cio, cio_short=cio.split()[-1],
                  sg=rng.choice(sgs), role=rng.choice(ROLES), person=f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    day, month = rng.randint(1, 28), rng.choice(MONTHS)
    place = (op.seat or "Vienna").upper()
    date = f"{day} {month} {year}"
    style = rng.randrange(3)
    header = (["- Date:", f"- {date}", "- Place:", f"- {place}", "- Source:", f"- OSCE {op.label}"] if style == 0 else
              [f"- Date: {date}", f"- Place: {place}", f"- Source: OSCE {op.label}"] if style == 1 else
              ["- Date:", "- Place:", "- Source:"])
    body = [f"{place}, {date} – " + first_t.format(**values),
            f"“We will continue our work with {values['state']},” said {values['role']} {values['person']}.",
            f"The {values['op']} has supported {values['field']} in {values['state2']} for many years."]
    return "\n".join([*head, rng.choice(("Press release", "Press release", "News")),
                      title_t.format(**values), *header, *body]) + "\n"


def generate(n: int, outdir: Path, seed: int = 1) -> list[Path]:
    """Write ``n`` pages to ``outdir``; the same seed gives the same files."""
    rng = random.Random(seed)
    outdir.mkdir(parents=True, exist_ok=True)
    head = menu()
    paths = []
    for i in range(n):
        p = outdir / f"synth-{i:05d}.txt"
        p.write_text(page(rng, head), encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(f"wrote {len(generate(args.n, args.outdir, args.seed))} pages to {args.outdir}")
