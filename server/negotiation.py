"""Content negotiation (RFC 9110 §12.5.1): pure functions over the format table."""
from __future__ import annotations

from kg.formats import Format


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """Parse an Accept header into ``(media range, q, order)``, best first.

    >>> parse_accept("text/html;q=0.5, application/json")
    [('application/json', 1.0, 1), ('text/html', 0.5, 0)]
    """
    out = []
    for i, part in enumerate((header or "*/*").split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(b[2:])))
                except ValueError:
                    q = 0.0
        out.append((bits[0].lower(), q, i))
    return sorted(out, key=lambda t: (-t[1], _specificity(t[0]), t[2]))


def _specificity(media_range: str) -> int:
    if media_range == "*/*":
        return 2
    return 1 if media_range.endswith("/*") else 0


def _quality(media_type: str, ranges: list[tuple[str, float, int]]) -> tuple[float, int]:
    """The q of the most specific range matching ``media_type`` and that range's specificity."""
    best = None
    for rng, q, _ in ranges:
        if rng == media_type or rng == "*/*" or (rng.endswith("/*") and media_type.startswith(rng[:-1])):
            spec = _specificity(rng)
            if best is None or spec < best[1]:
                best = (q, spec)
    return best or (0.0, 3)


def choose(accept: str | None, supported: tuple[Format, ...]) -> Format | None:
    """Pick the format the client prefers among ``supported`` (table order breaks ties, so the
    first supported format answers ``*/*`` or a missing header). None means 406.

    >>> from kg import formats
    >>> choose("application/rdf+xml;q=0.4, text/turtle", formats.of_kind("rdf")).name
    'turtle'
    >>> choose("image/png", formats.of_kind("rdf")) is None
    True
    """
    ranges = parse_accept(accept)
    best, best_key = None, None
    for order, fmt in enumerate(supported):
        for mt in fmt.media_types:
            q, spec = _quality(mt, ranges)
            if q <= 0:
                continue
            key = (-q, spec, order)
            if best_key is None or key < best_key:
                best, best_key = fmt, key
    return best
