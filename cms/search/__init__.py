"""Search: an index of what each channel serves, written with its projections, and the reads over it.

`records.py` turns a stored channel document into what is indexed (pure), `text.py` folds and stems
words the same way for indexing and queries, `query.py` parses what a shopper typed, `highlight.py`
marks the matches in a snippet, `index.py` writes the index in the publishing transaction, and
`reading.py` answers a search through a backend: `sqlite.py` (FTS5) or `postgres.py` (tsvector).
"""
