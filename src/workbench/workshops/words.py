"""Most frequent words of free-text answers, French stopwords removed."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache

from stop_words import get_stop_words

__all__ = ["word_frequencies"]

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


@cache
def _stopwords() -> frozenset[str]:
    words = set(get_stop_words("french"))
    # Elided forms ("l'", "d'"…) and a few spoken fillers the list does not hold.
    words |= {"l", "d", "j", "qu", "n", "s", "c", "m", "t", "y", "a", "plus", "trop", "très",
              "faut", "fait", "faire", "peu", "bien", "aussi", "etc", "ça", "cela"}
    return frozenset(words)


def _normalise(word: str) -> str:
    return unicodedata.normalize("NFC", word.lower()).replace("’", "'")


def word_frequencies(texts: Iterable[str], top: int = 10) -> list[tuple[str, int]]:
    """The ``top`` words, most frequent first (ties alphabetical), without stopwords.

    Elisions are split ("l'arrêt" counts "arrêt"); words of one letter are ignored.
    """
    counts: Counter[str] = Counter()
    stop = _stopwords()
    for text in texts:
        for token in _WORD.findall(text or ""):
            for part in re.split(r"['’]", _normalise(token)):
                if len(part) > 1 and part not in stop:
                    counts[part] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
