"""The real services CI starts are the ones the suite talks to."""

from __future__ import annotations

import os
import uuid

import pytest

from cms.store.database import get_engine
from cms.store.engine import is_postgres


@pytest.mark.postgres
async def test_the_postgres_run_really_talks_to_postgresql(database: None) -> None:
    engine = get_engine()
    assert is_postgres(engine)
    rows = await engine.run_ddl("SELECT version() AS version")
    assert rows[0]["version"].startswith("PostgreSQL ")


@pytest.mark.s3
def test_the_s3_endpoint_stores_and_returns_an_object() -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=os.environ["CMS_TEST_S3_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    bucket = f"cms-test-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="hello.txt", Body=b"bonjour")
    assert client.get_object(Bucket=bucket, Key="hello.txt")["Body"].read() == b"bonjour"
