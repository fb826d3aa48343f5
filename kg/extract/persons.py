"""Named persons, their roles as the text words them, and their affiliation.

A name is a run of two or more capitalised tokens (particles such as ``van der`` allowed
inside) that contains no country, structure, city or common capitalised word. Roles come
from the words before the name (``the Foreign Minister of Moldova, Nicu Popescu``,
``President Kassym-Jomart Tokayev``) or from an apposition after it (``Ignazio Cassis,
Federal Councillor and Head of ...``). The affiliation is the OSCE structure a role names,
else the State a possessive, ``of Country`` or demonym ties the person to, else the State last
named before the person.
"""
from __future__ import annotations

import datetime as dt
import re

from kg import refdata
from kg.extract.gazetteer import find
from kg.extract.mentions import fold, resolve_structure, sg_surnames
from kg.extract.places import cities, city_pattern
from kg.model import Person
from kg.sources.dates import split_dateline

HONORIFICS = frozenset("Ambassador Archbishop Bishop Cardinal Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof. Professor Sir Dame "
                       "Lord Lady H.E. Excellency Colonel Major Lieutenant Captain Admiral".split())
ROLE_HEADS = frozenset(
    "Head Director Minister President Chairman Chairperson Chairwoman Chair Secretary Representative Co-ordinator "
    "Coordinator Commissioner Speaker Adviser Advisor Monitor Councillor Governor Mayor Deputy Chief Special "
    "Senior Honorary Acting First Ambassador Prime Ombudsman Envoy Spokesperson Spokesman Prosecutor Judge Leader "
    "Chairmen Officer Counsellor Member Coordinator Vice-President Vice Rapporteur Editor Commander Premier "
    "head leader editor editor-in-chief journalist parliamentarian member chair mediator director president "
    "Chairman-in-Office Chairperson-in-Office Chair-in-Office Chairwoman-in-Office Vice-Chair Vice-Chairperson "
    "Vice-Chairman Vice-Chairwoman Co-Chair Co-Chairman Co-Chairperson Secretary-General founder co-founder "
    "representative activist blogger lawyer correspondent reporter photographer cameraman".split())
#: Lower-case role words that may stand alone just before a name (``journalist Lidija Nikčević``).
LOWER_ROLES = frozenset("journalist editor editor-in-chief correspondent reporter blogger activist lawyer "
                        "photographer cameraman parliamentarian representative".split())
STOP = frozenset(
    "The A An In On At During While Under After Before Since For From With Without Among Several Some Many Most "
    "All Both Each Every This That These Those Today Yesterday Tomorrow His Her Their Its Our We I He She They It "
    "Speaking Accompanied According Also As But And Or If When Where Whatever However Moreover Participants "
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday OSCE Mission Office Programme Centre Center Council Assembly "
    "Committee Ministry Department Republic Federation Union Parliament Commission Conference Forum Day World "
    "International National State States European United Nations Human Rights Document Final Act Agreement "
    "Agreements Plan Action Declaration Law Code Service Police Border College Staff Management Security Control "
    "Co-ordination Group Contact Trilateral Partners Partner Co-operation Cooperation Organization Chairmanship "
    "Chairpersonship Secretariat Institute Foundation Association Court Prosecutors Prosecutor's Office Unit "
    "Election Elections Observation Directorate Troops Armed Forces Penal Correction System Cross Red Food Bank "
    "Fund Agency Network Centre Council Senate Chamber Legislative Majlis Oliy Government Presidency Affairs "
    "Foreign Interior Justice Defence Education Sport Trade Economic Environmental Activities Implementation "
    "Meeting Session General Minister President Helsinki Dimension Budget Unified Caucasus Balkans Western "
    "Eastern Central Asia Europe South North East West Muslims Roma Sinti Ashkali Egyptian Days Press Freedom "
    "Monitoring Special Hofburg Penal Code Article Annual Review Panel Youth Gender Action Strategy Project "
    "Transdniestrian Settlement Process Permanent Ministerial Stability Pact Contact Line Cyber Internet Agos "
    "High Hate Forced Labour Address Crimes Threats Aspects Questions Democratic Judicial Institutions "
    "Consortium Airport Magazine Newspaper University Hotel Palace Square Street Airlines Channel Radio Television "
    "Portal Company Corporation Foundation Fund Initiative Coalition Centre Embassy Delegation".split())
_NOUN_SUFFIX = ("ing", "tion", "tions", "sion", "sions", "ment", "ments", "ness", "ism", "ity", "ities", "ance",
                "ence", "ics", "ship", "ives", "ures")
PARTICLES = frozenset("van der von de del della di da dos das du af ter ten bin ibn al el".split())
NON_OSCE = re.compile(r"\b(PACE|European Parliament|European Union|EU|United Nations|UN|NATO|Council of Europe|"
                      r"Red Cross|World Bank|High Representative)\b")
_SPLIT = re.compile(r",\s+|\s+and\s+(?=(?:" + "|".join(sorted(ROLE_HEADS - {"First", "Special"}, key=len, reverse=True))
                    + r"|former)\b|[A-Z][\w-]*[’']s\s)")
_END = re.compile(r"\.(?=\s|$)|[;:)(“”\"]|,\s+(?!(?:the|a|an|and|former|of|then|" + "|".join(sorted(LOWER_ROLES))
                  + r")\b)[a-z]|,\s+(?:who|which|said|told|has|had|is|was|will|and|to|in|at|on|for|from|during|after|before)\b|"
                  r"\s+(?:who|which|said|told|has|have|had|is|was|were|will|would|today|in\s+[A-Z]\w+\s+today|presented|welcomed|addressed|called|urged|stressed|noted|reaffirmed|emphasized|opened|met|took|said)\b")


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() and not (tok.isupper() and len(tok) > 1 and not tok.endswith("."))


#: Words just before a capitalised run that make it a place or a title, not a person.
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|visits?\s+to|trip\s+to|travel(?:led|ed)?\s+to|from|magazine|newspaper|weekly|daily|"
    r"channel|agency|portal|outlet|station|company|village|town|city|region|district|municipality)"
    r"(?:\s+the)?\s+|\b(?:in|visits?\s+to)\s+(?:[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}(?:,\s*|\s+and\s+)){1,4})$")


def _common_noun(tok: str) -> bool:
    """A capitalised common noun (``Training``, ``Institutions``); names with non-ASCII letters pass (``Wärring``)."""
    return tok.endswith(_NOUN_SUFFIX) and tok.isascii()


def _name_runs(text: str):
    """Yield (start, end) spans of capitalised-token runs with particles inside."""
    toks = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[^\W\d_][\w'’\-]*\.?", text)]
    i = 0
    while i < len(toks):
        if not _is_cap(toks[i][2]):
            i += 1
            continue
        j = i + 1
        while j < len(toks) and text[toks[j - 1][1]:toks[j][0]] == " " and not _sentence_end(toks[j - 1][2]) and (
                _is_cap(toks[j][2]) or (toks[j][2] in PARTICLES and j + 1 < len(toks)
                                        and (_is_cap(toks[j + 1][2]) or toks[j + 1][2] in PARTICLES))):
            j += 1
        yield toks[i:j]
        i = j


def _sentence_end(tok: str) -> bool:
    return tok.endswith(".") and not re.fullmatch(r"[A-Z]\.", tok)


def _clean_token(tok: str) -> str:
    return re.sub(r"(?:['’]s|['’])$", "", tok).rstrip(".") if not re.fullmatch(r"[A-Z]\.", tok) else tok


def _candidates(text: str):
    """Yield (start, end, name) for person-name candidates."""
    covered = set()
    for m in find(text):
        covered.update(range(m.start, m.end))
    for run in _name_runs(text):
        # drop leading role words, honorifics, stop words and gazetteer names; keep the tail
        k = 0
        for idx, (a, _, tok) in enumerate(run):
            t = _clean_token(tok)
            if t in STOP or t in HONORIFICS or t in ROLE_HEADS or t.rstrip(".") in HONORIFICS or a in covered \
                    or (t in cities() and idx + 1 < len(run)
                        and re.search(r"\b(?:in|at|from|to|near)\s+$", text[max(0, a - 6):a])):
                k = idx + 1
        run = run[k:]
        while run and run[-1][2].endswith("’s") or run and run[-1][2].endswith("'s"):
            run = run[:-1]
        caps = [t for t in run if _is_cap(t[2])]
        if len(caps) < 2:
            continue
        start, end = run[0][0], run[-1][1]
        name = text[start:end].rstrip(".,")
        if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
            name = name[:-1]
        if any(_clean_token(t[2]) in STOP or _common_noun(_clean_token(t[2])) or t[0] in covered
               for t in run) or name in cities():
            continue
        if _PLACE_BEFORE.search(text[max(0, start - 60):start]):
            continue  # "a visit to Doboj, Banja Luka and Donja Gradina", "the magazine Charlie Hebdo"
        after = text[end:end + 20]
        if re.match(r"\s+(?:region|province|district|municipality|city|village|river|oblast|valley)\b", after):
            continue
        yield start, end, name


def _roles_from(phrase: str) -> list[str]:
    phrase = re.sub(r"\s*\([^)]*\)", "", phrase).strip().rstrip(",;:")
    phrase = re.sub(r"\s+of the OSCE$", "", phrase)
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
    phrase = re.sub(r"^OSCE(?:[’']s)?\s+(?!PA\b)", "", phrase)
    phrase = re.sub(r"\s+(?:today|yesterday|tomorrow)$", "", phrase)
    if not phrase:
        return []
    if any(m.start == 0 and m.end == len(phrase) for m in find(phrase)):
        return [phrase]  # the phrase is a structure's name ("High Commissioner on National Minorities")
    out = []
    for part in _SPLIT.split(phrase):
        part = re.sub(r"^(?:the|a|an)\s+", "", part.strip())
        part = re.sub(r"\s+of\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*$",
                      lambda m: "" if _only_country(m.group(0)) else m.group(0), part)
        ms = find(part)
        if ms and ms[0].start == 0 and ms[0].end < len(part) and ms[0].entries[0].kind == "structure" \
                and re.match(r"(?:[’']s)?\s", part[ms[0].end:]) and not _has_role(ms[0].text):
            part = part[ms[0].end:].lstrip("’'s ").strip() if part[ms[0].end] in "’'" else part[ms[0].end + 1:]
            # "ODIHR Director" -> "Director", "Parliamentary Assembly President" -> "President"
            ms = find(part)
        inner = [m for m in ms if m.start > 0 and m.entries[0].kind in ("state", "partner", "other")
                 and _has_role(part[:m.start]) and _has_role(part[m.end:])
                 and not re.search(r"\b(?:of|for|to|in)\s+(?:the\s+)?$", part[:m.start])]
        if inner:  # "Chairperson-in-Office Slovak Foreign Minister" -> two roles
            m = inner[0]
            out += [r for r in _roles_from(part[:m.start]) + _roles_from(re.sub(r"^[’']s\s+", "", part[m.end:].strip()))
                    if r not in out]
            continue
        if ms and ms[0].start == 0 and ms[0].entries[0].kind in ("state", "partner", "other"):
            part = re.sub(r"^[’']s\b", "", part[ms[0].end:]).strip()  # "Poland's Minister" -> "Minister"
        part = re.sub(r"^OSCE\s+(?!PA\b)", "", part).strip()
        if part and any(w in ROLE_HEADS for w in re.findall(r"[\w-]+", part)):
            out.append(part)
    return out


def _has_role(phrase: str) -> bool:
    return any(w in ROLE_HEADS for w in re.findall(r"[\w-]+", phrase))


def _only_country(tail: str) -> bool:
    rest = re.sub(r"^\s+of\s+(?:the\s+)?", "", tail)
    ms = find(rest)
    return len(ms) == 1 and ms[0].end == len(rest) and ms[0].entries[0].kind in ("state", "partner", "other")


def _prefix(text: str, start: int) -> str:
    """The role-like phrase just before ``start``: capitalised words, connectors and acronyms."""
    before = re.sub(r"\s*\([^()]{1,40}\)", lambda p: " " * len(p.group(0)), text[max(0, start - 160):start])
    m = re.search(r"((?:(?:[A-Z][\w’'\-]*|of|for|on|the|in|to|and(?=\s+[A-Z]))\s+)+)$", before)
    if not m:
        return ""
    phrase = m.group(1).strip()
    phrase = re.sub(r"^(?:(?:of|for|on|and|the|in|to)\s+)+", "", phrase)
    words = phrase.split()
    while words and (words[0] in STOP - ROLE_HEADS and words[0] not in ("Foreign", "Human", "Special", "State", "Federal", "High", "OSCE")
                     or words[0].endswith(("’s", "'s"))):
        words = words[1:]
    return " ".join(w for w in words if w not in HONORIFICS or w in ROLE_HEADS - {"Ambassador"})


def _appositive(text: str, end: int, next_start: int) -> str:
    """The phrase after ``Name, ...`` up to a clause end, unless it introduces the next name."""
    m = re.match(r",\s+(?!and\b|or\b)", text[end:])
    if not m:
        return ""
    rest = text[end + m.end():end + m.end() + 200]
    first = re.match(r"[\w-]+", rest)
    if first and first.group(0).islower() and first.group(0) not in _APPOSITION_OPENERS:
        return ""  # "X, met the minister": a verb, not an apposition
    cut = _END.search(rest)
    phrase = rest[:cut.start()] if cut else rest
    words = re.findall(r"[\w-]+", phrase)[:5]
    if end + m.end() + len(phrase) + 3 >= next_start:
        return ""  # "X, the Chairwoman of the Senate, Y": the phrase is Y's role
    stretch = text[end + m.end():next_start]
    if len(stretch) < 200 and (re.fullmatch(r"[^.;]*,\s*", stretch) and not re.search(r",\s+and\s", stretch)
                               or re.fullmatch(r"[^.;,]*\s", stretch)):
        return ""  # "X, the President of the Council (HJPC) of BiH, Y" or "X, President of the PA (OSCE PA) Y"
    return phrase if any(w in ROLE_HEADS for w in words) else ""


_APPOSITION_OPENERS = frozenset({"the", "a", "an", "former", "then", "now", "acting", "deputy", "head", "chief"}) \
    | LOWER_ROLES | {w for w in ROLE_HEADS if w.islower()}
_BARE = r"(?:[A-Z][\w’'-]*|of|for|on|the|and)"
#: ``…, Foreign Minister, Zbigniew Rau``: a bare role phrase between commas just before a name.
_LIST_ROLE = re.compile(rf"(?:^|[,;]\s+|\band\s+|\bwith\s+)([A-Z][\w’'-]*(?:\s+{_BARE}){{0,8}}),\s+$")
#: ``Roberto Montella … has begun service as Secretary General of …``: a role after ``as``.
_AS_ROLE = re.compile(r"[^.;]{0,80}?\b(?:as|appointed|named|elected)\s+(?:the\s+)?(?:new\s+)?"
                      r"([A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|for|on|the|in|to|and))*)")
_LOWER_ROLE = re.compile(r"\b(" + "|".join(sorted(LOWER_ROLES, key=len, reverse=True)) + r")\s+$")


def _as_role(text: str, end: int, next_start: int) -> str:
    m = _AS_ROLE.match(text[end:end + 220])
    if not m or end + m.end() > next_start:
        return ""
    phrase = re.sub(r"(?:\s+(?:of|for|on|the|in|to|and))+$", "", m.group(1))
    return phrase if _has_role(phrase) else ""


def _lower_role(text: str, start: int, date: dt.date | None) -> tuple[str, str | None]:
    """``journalist X`` -> ("journalist", None); ``OSCE media freedom representative X`` -> (phrase, structure)."""
    before = text[max(0, start - 80):start]
    m = _LOWER_ROLE.search(before)
    if not m:
        return "", None
    for ms in find(before):
        if ms.end == m.end(1) and ms.entries[0].kind == "structure":
            return re.sub(r"^OSCE\s+", "", ms.text), resolve_structure(ms.entries, date)
    return m.group(1), None


def _before_comma_role(text: str, start: int) -> str:
    """``the Foreign Minister of Moldova, Nicu Popescu``: a role phrase ending in a comma before the name.

    The first article or possessive that opens a phrase with a role word in its first words wins.
    """
    seg = text[max(0, start - 170):start]
    m = re.search(r",\s+(?:[A-Z][\w’'-]*\s+){0,5}$", seg)
    if not m:
        return ""
    head = re.split(r"[,.;“”\"]", seg[:m.start()])[-1]
    for a in re.finditer(r"\b(?:[Tt]he|an?|[A-Z][\w-]*[’']s)\s+", head):
        phrase = head[a.start():]
        if any(w in ROLE_HEADS for w in [w for w in re.findall(r"[\w-]+", phrase) if w not in ("OSCE", "PA", "s")][:4]):
            return phrase
    return ""


_GENERIC_FIELD_OP = re.compile(r"\b(?:Head|Director|Deputy Head|Chief)\s+of\s+(?:the\s+)?(?:OSCE\s+)?"
                               r"(?:Mission|Presence|Office|Centre|Programme Office)\b")
_POST = re.compile(r"(?:[Tt]he\s+)?(?:OSCE\s+)?([A-Z][\w-]*(?:-in-Office)|Secretary General)(?:\s+of the OSCE)?,\s+$")


def _post_before(text: str, start: int) -> str | None:
    """A post named just before ``start`` and closed by a comma (``the OSCE Chair-in-Office, ...``)."""
    m = _POST.search(text[max(0, start - 60):start])
    return m.group(1) if m and find(m.group(1)) else None


def _country_in(text: str) -> str | None:
    for m in find(text):
        if m.entries[0].kind in ("state", "partner", "other"):
            return m.entries[0].key
    return None


def office_holder(name: str, date: dt.date | None) -> str | None:
    """``chairpersonship`` or ``secretary-general`` when ``name`` held that post at ``date`` (by surname).

    >>> office_holder("Zbigniew Rau", dt.date(2022, 6, 8)), office_holder("Zbigniew Rau", dt.date(2019, 1, 1))
    ('chairpersonship', None)
    """
    if date is None:
        return None
    surname = name.split()[-1]
    if any(t.year == date.year and t.person.split()[-1] == surname for t in refdata.cio_tenures()):
        return "chairpersonship"
    day = date.isoformat()
    if any(sg.person.split()[-1] == surname and (sg.term_start or "") <= day < (sg.term_end or "9999")
           for sg in refdata.secretaries_general()):
        return "secretary-general"
    return None


def _last_place(text: str, mentions, skip: int = 0) -> str | None:
    """Country of the last State or known city named in ``text`` after ``skip`` (``mentions`` are its matches)."""
    best, pos = None, skip - 1
    for m in mentions:
        e = m.entries[0]
        if e.kind in ("state", "partner", "other") and m.start > pos and not e.demonym:
            best, pos = e.key, m.start
    for m in city_pattern().finditer(text, skip):
        if m.start() > pos and cities().get(m.group(1)):
            best, pos = cities()[m.group(1)], m.start()
    return best


def _structure_of(phrase: str, date: dt.date | None) -> str | None:
    for m in find(phrase):
        slug = resolve_structure(m.entries, date)
        if slug and slug not in ("osce", "summit", "ministerial-council"):
            return slug
    return None


def persons(body: str, date: dt.date | None, source: str | None, host: str | None) -> list[Person]:
    """Persons named in ``body`` with roles and affiliation; first mention order, one entry per name.

    ``source`` is the issuing structure's slug and ``host`` the alpha-2 code of the country the
    release is about, used when the text ties a person to no State or structure.
    """
    found: dict[str, Person] = {}
    last_end = 0
    all_mentions = [m for m in find(body) if m.entries[0].kind in ("state", "partner", "other")]
    dateline = split_dateline(body)
    dateline_end = len(dateline.text) if dateline else 0  # the dateline city ties no one to its country
    cands = list(_candidates(body))
    for i, (start, end, name) in enumerate(cands):
        next_start = cands[i + 1][0] if i + 1 < len(cands) else len(body) + 10
        if name not in found and any(name in n.split() or n.lower().endswith(" " + name.lower()) for n in found):
            continue  # a short reference to someone already named
        pre = _prefix(body[last_end:], start - last_end)
        app, comma = _appositive(body, end, next_start), _before_comma_role(body[last_end:], start - last_end)
        if not comma and not pre:
            listed = _LIST_ROLE.search(body[last_end:start])
            comma = listed.group(1) if listed and _has_role(listed.group(1)) else ""
        app = app or _as_role(body, end, next_start)
        lower, lower_structure = ("", None) if pre or comma else _lower_role(body, start, date)
        last_start, last_end = last_end, end
        roles = []
        comma_at = start - len(comma) - 2 if comma else start - len(pre) - 1 if pre else start
        post = _post_before(body, max(last_start, comma_at))
        if post:
            roles.append(post)
        for phrase in (comma, pre, app):
            for r in _roles_from(phrase):
                if r.lower() not in {x.lower() for x in roles}:
                    roles.append(r)
        if lower and lower.lower() not in {x.lower() for x in roles}:
            roles.insert(0, lower)
        context = " ".join((post or "", comma, pre, app))
        near = [m.entries[0].key for m in all_mentions
                if start - 40 <= m.start < start or (app and end <= m.start < end + 2 + len(app))]
        affiliation = (lower_structure or _structure_of(" ".join((post or "", comma, pre)), date)
                       or _structure_of(app, date) or (source if _GENERIC_FIELD_OP.search(context) else None))
        if affiliation is None and NON_OSCE.search(context):
            affiliation = None
        elif affiliation is None and re.search(r"\bOSCE\b", context):
            affiliation = "parliamentary-assembly" if re.search(r"\b(?:OSCE PA|Parliamentary Assembly)\b", context) \
                else source
        elif affiliation is None:
            own = re.search(r"([A-Z][\w ]+?)[’']s\s+(?:[A-Z][\w-]*\s+){0,8}$", body[max(0, start - 120):start])
            of = re.match(r"\s+of\s+([A-Z][\w ]+)", body[end:end + 40])
            affiliation = (_country_in(context) or (own and _country_in(own.group(1)))
                           or (of and _country_in(of.group(1))) or (near[0] if near else None))
            if affiliation is None and roles:
                sentence = max(body.rfind(". ", 0, start), body.rfind("\n", 0, start), dateline_end)
                free = [m for m in all_mentions if dateline_end <= m.start < start
                        and body.rfind("(", 0, m.start) <= body.rfind(")", 0, m.start)]  # not "(MP, Finland)"
                same = [m for m in free if sentence < m.start]
                affiliation = (same[-1].entries[0].key if same else None) or _last_place(
                    body[:start], free, dateline_end) or host
        if affiliation == "secretary-general" and fold(name.split()[-1]) not in sg_surnames() \
                and (source == "parliamentary-assembly" or re.search(r"\b(?:OSCE PA|Parliamentary Assembly)\b", body)):
            affiliation = "parliamentary-assembly"  # the Assembly's own Secretary General
        if affiliation is None or len(affiliation) == 2:
            affiliation = office_holder(name, date) or affiliation
        if name in found:  # a later full mention adds roles, never replaces the first reading
            old = found[name]
            roles = [*old.roles, *(r for r in roles if r.lower() not in {x.lower() for x in old.roles})]
            affiliation = old.affiliation or affiliation
        found[name] = Person(name, tuple(roles), affiliation)
    return list(found.values())
