"""Campaigns: an offer, brand messages, products and tutorials told on every channel at once.

A campaign is an entry of the `campaign` type. This package reads it (`campaign.py`), previews every
channel's rendering of it at an instant with the consistency findings across them (`preview.py`), and
launches it (`launch.py`): one release at the window's start, the window's end unpublishing what the
launch took live, both as scheduled jobs (`jobs.py`) recording `campaign.launched` and `campaign.ended`.
Refusals name the field, in English and French (`errors.py`).
"""
