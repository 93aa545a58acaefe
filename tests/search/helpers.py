"""Shared steps of the search tests: GraphQL calls and the demo's entries by slug."""

from __future__ import annotations

from typing import Any

import httpx

from tests.demo_data import demo_entry_id

SEARCH = """
query Search($query: String!, $locale: Locale, $first: Int! = 5, $where: SearchWhere) {
  search(query: $query, locale: $locale, first: $first, where: $where) {
    totalCount
    edges {
      score
      highlights { field snippet }
      node { __typename ... on Product { id slug name } ...on Tutorial { id slug title }
      ... on Category { id slug name } ... on Offer { id slug title } ... on BrandMessage { id slug title } } }
  }
}
"""


async def post(client: httpx.AsyncClient, channel: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = await client.post(f"/graphql/{channel}", json={"query": query, "variables": variables or {}})
    return response.json()


async def search(client: httpx.AsyncClient, channel: str, text: str, **variables: Any) -> dict[str, Any]:
    body = await post(client, channel, SEARCH, {"query": text, **variables})
    assert "errors" not in body, body["errors"]
    return body["data"]["search"]  # type: ignore[no-any-return]


def slugs(result: dict[str, Any]) -> list[str]:
    return [edge["node"].get("slug") for edge in result["edges"]]


def product_id(slug: str) -> str:
    return demo_entry_id("product", slug)
