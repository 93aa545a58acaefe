"""Media in the management API besides uploads: `deleteAsset`."""

from __future__ import annotations

from typing import Any

import strawberry

from cms.api.errors import guarded
from cms.auth.principal import WRITE
from cms.media.errors import AssetInUse, MediaError
from cms.media.library import MediaLibrary
from cms.settings import get_settings
from graphql import GraphQLError

_CODES = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "ASSET_IN_USE"}


async def _allowed(info: strawberry.Info) -> None:
    info.context.editor.require(WRITE, "delete assets")


@strawberry.type
class MediaMutations:
    @strawberry.mutation(
        description="Delete an asset and its files. Refused (ASSET_IN_USE, with `usedBy`) while the current or"
        " published version of an entry uses it."
    )
    async def delete_asset(self, info: strawberry.Info, id: strawberry.ID) -> bool:
        await guarded(_allowed(info))
        library: MediaLibrary = info.context.media or MediaLibrary(get_settings(), info.context.model)
        try:
            await library.delete(str(id), info.context.principal)
        except MediaError as error:
            extensions: dict[str, Any] = {"code": _CODES.get(error.status, "BAD_REQUEST")}
            if isinstance(error, AssetInUse):
                extensions["usedBy"] = error.uses
            raise GraphQLError(error.reason, extensions=extensions) from None
        return True
