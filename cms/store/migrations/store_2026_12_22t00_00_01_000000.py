"""Campaign launches (cms_campaign_launch): the release and jobs of a campaign's window (cms.campaigns)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-22T00:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Campaign launches (cms_campaign_launch)"

COLUMNS = [
    ("campaign", Varchar, {"length": 36, "default": "", "index": True}),
    ("release", Integer, {"default": 0}),
    ("launch_job", Integer, {"default": 0}),
    ("end_job", Integer, {"default": 0}),
    ("launch_at", Timestamptz, {"default": TimestamptzNow()}),
    ("end_at", Timestamptz, {"default": TimestamptzNow()}),
    ("ends", Text, {"default": "[]"}),
    ("status", Varchar, {"length": 20, "default": "scheduled"}),
    ("created_by", Varchar, {"length": 254, "default": ""}),
    ("created_at", Timestamptz, {"default": TimestamptzNow()}),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    manager.add_table(class_name="CampaignLaunch", tablename="cms_campaign_launch", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="CampaignLaunch",
            tablename="cms_campaign_launch",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={
                "null": False,
                "primary_key": False,
                "unique": False,
                "index": False,
                "index_method": IndexMethod.btree,
                "choices": None,
                "db_column_name": None,
                "secret": False,
                **params,
            },
            schema=None,
        )
    return manager
