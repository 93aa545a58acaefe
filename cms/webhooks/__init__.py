"""Webhooks: subscriptions (`subscriptions.py`), where they may point (`targets.py`), and the dispatcher
that sends the change log's deliveries signed in the Standard Webhooks format (`dispatch.py`)."""
