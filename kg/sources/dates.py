"""Dates and datelines as osce.org pages write them.

Pure helpers, standard library only: :func:`parse_date` reads one date in the forms the pages
use, :func:`split_dateline` finds the ``PLACE, D Month YYYY –`` opening of a first paragraph.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
#: One date in text: ``3 March 2015``, ``9 Apr 2012``, ``March 3, 2015``.
DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
_DASH = r"(?:\s*\(OSCE\))?\s*(?:[–—―-]{1,3}|:)\s*"
_PLACE = r"[^\W\d_][^,–—―\d:;\"“”()]{0,60}?"
_PLACES = rf"{_PLACE}(?:\s*/\s*{_PLACE})*"
_COUNTRY = r"(?:,\s*(?:region\s+of\s+)?(?P<country>[^\W\d_][^,–—―\d]{1,40}?))?"

_FORMS = (
    # VIENNA, 3 March 2015 –   |   OSH, Kyrgyzstan, 14 March 2006-   |   TIRANA / GENEVA – 6 October 2020.
    re.compile(rf"^(?P<places>{_PLACES}){_COUNTRY}\s*[,–—―-]\s*(?P<date>{DATE})(?:{_DASH}|\.\s+)"),
    # 12 June 2025, Sarajevo –
    re.compile(rf"^(?P<date>{DATE}),\s*(?P<places>{_PLACES}){_DASH}"),
    # 25 June 1996 - ...
    re.compile(rf"^(?P<date>{DATE}){_DASH}"),
    # Newsroom layout: VIENNA 3 March 2005 (no comma; upper-case place, or the line is only that)
    re.compile(rf"^(?P<places>[A-ZÀ-Þ][A-ZÀ-Þ .'/-]{{1,60}}?)\s+(?P<date>{DATE})(?:{_DASH}|\s+(?=[A-Z“\"])|\s*$)"),
    re.compile(rf"^(?P<places>{_PLACES})\s+(?P<date>{DATE})\s*$"),
)
#: A dateline without a year (``VALLETTA/VIENNA, 12 July –``): upper-case places, day and month, a dash.
_NO_YEAR = re.compile(rf"^(?P<places>[A-ZÀ-Þ][A-ZÀ-Þ .'/-]{{1,60}}?),\s*(?P<day>\d{{1,2}}\s+{_MONTH})\s*[–—―-]{{1,3}}\s*")


def parse_date(text: str) -> dt.date:
    """Read one date: ``3 March 2015``, ``9 Apr. 2012``, ``March 3, 2015`` or ISO ``2015-03-03``.

    :raises ValueError: if the text is not a date or names a day that does not exist.

    >>> parse_date("9 Apr 2012")
    datetime.date(2012, 4, 9)
    >>> parse_date("2017-01-04T10:00:00+01:00")
    datetime.date(2017, 1, 4)
    >>> parse_date("31 February 2020")
    Traceback (most recent call last):
    ...
    ValueError: day is out of range for month
    """
    text = text.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return dt.date(*map(int, m.groups()))
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", text) or \
        re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", text)
    if not m:
        raise ValueError(f"not a date: {text!r}")
    a, b, year = m.groups()
    day, month = (a, b) if a.isdigit() else (b, a)
    if month.lower() not in _MONTHS:
        raise ValueError(f"unknown month: {month!r}")
    return dt.date(int(year), _MONTHS[month.lower()], int(day))


def title_place(place: str) -> str:
    """Title-case a place written in capitals; leave mixed-case places as written.

    >>> title_place("PRISHTINË/PRIŠTINA"), title_place("THE HAGUE"), title_place("NUR-SULTAN")
    ('Prishtinë/Priština', 'The Hague', 'Nur-Sultan')
    >>> title_place("Vatican City")
    'Vatican City'
    """
    place = place.strip()
    if place != place.upper():
        return place
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), place.lower())


@dataclass(frozen=True)
class Dateline:
    """A dateline found at the start of a paragraph."""

    text: str
    places: tuple[str, ...]
    date_text: str
    country: str | None
    rest: str
    #: False when the dateline gives day and month only (its date comes from the header).
    has_year: bool = True


def split_dateline(paragraph: str) -> Dateline | None:
    """Return the dateline a paragraph opens with, or None.

    >>> d = split_dateline("TIRANA / BRUSSELS / GENEVA – 6 October 2020. The OSCE ...")
    >>> d.places, d.date_text
    (('Tirana', 'Brussels', 'Geneva'), '6 October 2020')
    >>> split_dateline("12 June 2025, Sarajevo – Text").places
    ('Sarajevo',)
    >>> split_dateline("OSH, Kyrgyzstan, 14 March 2006- Ways").country
    'Kyrgyzstan'
    >>> split_dateline("On 27 September 2023, the Mission ...") is None
    True
    >>> d = split_dateline("VALLETTA/VIENNA, 12 July – The OSCE ...")
    >>> d.places, d.has_year
    (('Valletta', 'Vienna'), False)
    """
    for form in _FORMS:
        m = form.match(paragraph)
        if not m:
            continue
        raw = m.groupdict().get("places") or ""
        places = tuple(title_place(p) for p in re.split(r"\s*/\s*", raw.strip()) if p.strip())
        if any(len(p.split()) > 5 for p in places):
            continue
        country = m.groupdict().get("country")
        return Dateline(m.group(0).strip(), places, re.sub(r"\s+", " ", m.group("date")),
                        country.strip() if country else None, paragraph[m.end():])
    m = _NO_YEAR.match(paragraph)
    if m:
        places = tuple(title_place(p) for p in re.split(r"\s*/\s*", m.group("places").strip()) if p.strip())
        return Dateline(m.group(0).strip(), places, re.sub(r"\s+", " ", m.group("day")), None,
                        paragraph[m.end():], has_year=False)
    return None


_FIRST_DATE = re.compile(rf"\b(?:On|on)\s+(?:\w+day,?\s+)?(?P<date>{DATE})")


def derived_date(paragraph: str) -> dt.date | None:
    """A date stated early in the body (``On 27 September 2023, ...``), for pages without one.

    >>> derived_date("On 27 September 2023, the Mission opened ...")
    datetime.date(2023, 9, 27)
    """
    m = _FIRST_DATE.search(paragraph[:300])
    if not m:
        return None
    try:
        return parse_date(m.group("date"))
    except ValueError:
        return None
