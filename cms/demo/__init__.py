"""Demo content in English and French for Maison Lumen, an invented home and lifestyle brand."""
