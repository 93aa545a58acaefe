"""The change log: what changed in what delivery serves, appended in the transaction of the change.

`log.py` writes events (and, for every matching webhook subscription, a delivery owed: the outbox);
`boundaries.py` writes the changes nobody saves (offer windows opening and closing); `sync.py` reads the
log back as a per-channel sync feed. Dispatching to webhooks lives higher up, in `cms.webhooks`.
"""
