"""The content model: loading and validating `content_types/`, and validating entry data against it."""

from cms.model.definitions import Channel, ContentModel, ContentType, FieldDef, Locale
from cms.model.errors import InvalidModelError, ModelProblem
from cms.model.loader import load_model, read_model

__all__ = [
    "Channel",
    "ContentModel",
    "ContentType",
    "FieldDef",
    "InvalidModelError",
    "Locale",
    "ModelProblem",
    "load_model",
    "read_model",
]
