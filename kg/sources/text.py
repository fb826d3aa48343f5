"""From bytes to checked, normalised text: encoding, emptiness, language, content hash."""
from __future__ import annotations

import hashlib
import re
import unicodedata

from kg.errors import ParseError

_ENGLISH = frozenset("the and of to in a is for on with that by at from as was were has have will".split())


def normalise(text: str) -> str:
    """LF line endings and Unicode NFC, the form every hash and parser sees.

    >>> normalise("a\\r\\nb\\rc")
    'a\\nb\\nc'
    """
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def text_sha256(text: str) -> str:
    """SHA-256 of the normalised text, so copies differing only in line endings match.

    >>> text_sha256("x\\r\\n") == text_sha256("x\\n")
    True
    """
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 page bytes into normalised text.

    A UTF-8 byte order mark is dropped. UTF-16/32 (recognised by their byte order mark) and other
    encodings are refused rather than guessed.

    :raises ParseError: ``empty`` for no content, ``encoding`` for anything not UTF-8 text.
    """
    if not data.strip():
        raise ParseError(source, "empty", "empty input")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(source, "encoding", "UTF-16 text (byte order mark found); save the page as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ParseError(source, "encoding", f"not UTF-8 text (invalid byte at offset {e.start})") from None
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t")
    if controls > max(2, len(text) // 1000):
        raise ParseError(source, "encoding", "binary data, not text")
    return normalise(text)


def check_language(text: str, source: str) -> str:
    """Return ``"en"`` when the text is English; refuse anything else.

    Two cheap tests: most letters must be Latin, and common English function words must make
    up a visible share of the words (a French or German page fails the second).

    :raises ParseError: ``language`` for a page not in English.
    """
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c < "\u0250")
    if letters and latin < 0.6 * len(letters):
        raise ParseError(source, "language", "language not supported: the page is not in Latin script (English expected)")
    words = re.findall(r"[a-z]+", text.lower())
    if len(words) > 80 and sum(w in _ENGLISH for w in words) < 0.05 * len(words):
        raise ParseError(source, "language", "language not supported: the page does not read as English")
    return "en"
