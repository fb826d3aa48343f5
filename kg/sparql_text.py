"""Light lexical analysis of SPARQL text, without a full parser: where SERVICE clauses point,
and adding protocol-given USING clauses to an update. Strings, IRIs and comments are
recognised, so a keyword inside a literal is never mistaken for one."""
from __future__ import annotations

import re
from urllib.parse import urljoin

_TOKENS = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w.:%-]|\\.)*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>\S)
''', re.X | re.S)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, offset) of every token but comments, after applying ``\\u`` escapes."""
    return [(m.lastgroup, m.group(), m.start()) for m in _TOKENS.finditer(text) if m.lastgroup != "comment"]


def unescape(query: str) -> str:
    """Apply SPARQL's codepoint escapes (``\\u0053`` is ``S``), as a parser does first."""
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)


MAX_NESTING = 200  # deeper than any real query; 5,000 levels overflowed the parser's stack and killed the process


def nesting_depth(query: str) -> int:
    """The deepest nesting of brackets (``{``, ``(``, ``[``) outside strings, IRIs and comments.

    >>> nesting_depth('SELECT * { ?s ?p "{{{" FILTER((1)) } # {{{{')
    3
    """
    depth = deepest = 0
    for kind, text, _ in _tokens(query):
        if kind == "other":
            if text in "{([":
                depth += 1
                deepest = max(deepest, depth)
            elif text in "})]":
                depth -= 1
    return deepest


def service_targets(query: str) -> list[str | None]:
    """The endpoints a query's SERVICE clauses call, as absolute IRIs (None for a variable
    or anything that cannot be resolved).

    The query's ``\\u`` escapes are applied first, as a SPARQL parser does.

    >>> service_targets('PREFIX e: <http://e.org/> SELECT * { SERVICE SILENT e:sparql { ?s ?p ?o } }')
    ['http://e.org/sparql']
    >>> service_targets('SELECT * { ?s ?p "SERVICE <http://x/>" . SERVICE ?x { } }')
    [None]
    """
    tokens = [(k, v) for k, v, _ in _tokens(unescape(query))]
    prefixes: dict[str, str] = {}
    base = ""
    out: list[str | None] = []
    for i, (kind, value) in enumerate(tokens):
        word = value.upper() if kind in ("word", "pname") else ""
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = urljoin(base, tokens[i + 1][1][1:-1])
        elif word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = urljoin(base, tokens[i + 2][1][1:-1])
        elif word == "SERVICE":
            j = i + 1
            if j < len(tokens) and tokens[j][1].upper() == "SILENT":
                j += 1
            kind2, target = tokens[j] if j < len(tokens) else ("other", "")
            if kind2 == "iri":
                out.append(urljoin(base, target[1:-1]))
            elif kind2 == "pname" and target.split(":", 1)[0] in prefixes and "\\" not in target:
                p, local = target.split(":", 1)
                out.append(prefixes[p] + local)
            else:
                out.append(None)
    return out




def declares_dataset(query: str) -> bool:
    """True when the query has a FROM or FROM NAMED clause (its own dataset).

    >>> declares_dataset("SELECT * FROM <http://g> { ?s ?p ?o }"), declares_dataset("SELECT ?from {}")
    (True, False)
    """
    if "from" not in query.lower() and "\\u" not in query.lower():
        return False
    return any(k == "word" and v.upper() == "FROM" for k, v, _ in _tokens(unescape(query)))


class UsingConflict(ValueError):
    """The update names its own dataset (USING/WITH) and the request gives one too."""


def add_using(update: str, using: list[str], using_named: list[str]) -> str:
    """Insert ``USING``/``USING NAMED`` clauses before the WHERE of every DELETE/INSERT
    operation (SPARQL 1.1 Protocol §2.2.3: the protocol's graphs replace the update's own).

    >>> add_using("INSERT { ?s a 1 } WHERE { ?s ?p ?o }", ["http://g"], [])
    'INSERT { ?s a 1 }  USING <http://g> WHERE { ?s ?p ?o }'

    :raises UsingConflict: when the update has its own USING or WITH clause, or is a
        ``DELETE WHERE`` (which takes no USING).
    """
    text = unescape(update)
    clause = " " + " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    depth, cuts, previous = 0, [], ""
    for kind, value, pos in _tokens(text):
        word = value.upper() if kind in ("word", "pname") else ""
        if value == "{":
            depth += 1
        elif value == "}":
            depth -= 1
        elif depth == 0 and word in ("USING", "WITH"):
            raise UsingConflict(f"the update has a {word} clause and the request gives using-graph-uri/"
                                "using-named-graph-uri; give the dataset in one place only")
        elif depth == 0 and word == "WHERE":
            if previous == "DELETE":
                raise UsingConflict("DELETE WHERE cannot take the protocol's using-graph-uri; use DELETE {…} WHERE")
            cuts.append(pos)
        previous = word
    for pos in reversed(cuts):
        text = text[:pos] + clause + text[pos:]
    return text
