"""Ready-to-send email for marketing automation: `GET /email/messages/{slug}` and `/email/campaigns/{slug}`.

`content.py` reads what the email channel serves (at a send time, through time travel), `compose.py` turns it
into the HTML an inbox receives (template, inlined styles, tagged links), `http.py` serves it as JSON or XML
to a bearer token or a read-only feed token in the URL (`access.py`). See docs/email-feeds.md.
"""
