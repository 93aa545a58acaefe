"""Words and stems, as the search index and queries see them."""

from cms.search import text


def test_words_are_stemmed_in_their_language() -> None:
    assert text.stems("Bougies", "french") == ["boug"]
    assert text.stems("Scented candles", "english") == ["scent", "candl"]


def test_numbers_are_their_own_stems_and_leave_the_stem_cache_alone() -> None:
    """A catalogue's numbers (GTINs, model numbers) are mostly unique: cached, they would fill the cache."""
    text._stem.cache_clear()
    assert text.stems("Bougie 000123 4006381333931", "french") == ["boug", "000123", "4006381333931"]
    assert text._stem.cache_info().currsize == 1
    assert text.stems("lot 12b", "english") == ["lot", "12b"]  # letters in it: stemmed (and cached) as a word
    assert text._stem.cache_info().currsize == 3
