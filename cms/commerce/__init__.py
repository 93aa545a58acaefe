"""Commerce: stock as operational data (the inventory API, availability computed at request time)."""
