"""Piccolo's configuration: the engine comes from the CMS settings (CMS_DATABASE_URL)."""

from piccolo.conf.apps import AppRegistry

from cms.settings import get_settings
from cms.store.engine import engine_from_url

DB = engine_from_url(get_settings().database_url)

APP_REGISTRY = AppRegistry(apps=["cms.store.piccolo_app"])
