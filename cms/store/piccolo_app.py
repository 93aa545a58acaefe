"""The Piccolo app holding the store's tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from cms.store.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="store",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=TABLES,
    migration_dependencies=[],
    commands=[],
)
