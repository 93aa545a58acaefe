"""Omnichannel headless content & catalog CMS."""

import os

# Piccolo finds its engine through a configuration module; ours builds the
# engine from the CMS settings, so point Piccolo at it unless told otherwise.
os.environ.setdefault("PICCOLO_CONF", "cms.store.piccolo_conf")
