from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-22T21:20:15:468100"
VERSION = "1.38.0"
DESCRIPTION = (
    "content version: a counter bumped by every change to live projections"
)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="store", description=DESCRIPTION
    )

    manager.add_table(
        class_name="ContentVersion",
        tablename="cms_content_version",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="ContentVersion",
        tablename="cms_content_version",
        column_name="version",
        db_column_name="version",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
