"""OpenTelemetry traces (`CMS_TRACING=true`) through Litestar's OpenTelemetry plugin.

The plugin's middleware wraps the whole app (Litestar puts it outermost), so every request is a span, the
delivery endpoint's cached answers included. Spans go to the tracer provider configured for the process
(the OpenTelemetry SDK's, e.g. set up by `opentelemetry-instrument` from the `OTEL_*` variables); with
the API alone they are recorded nowhere.
"""

from __future__ import annotations

import importlib.util

from litestar.plugins import InitPluginProtocol

INSTALL = "pip install 'cms[tracing]'"


class TracingUnavailableError(RuntimeError):
    """CMS_TRACING=true, but OpenTelemetry's packages are not installed."""

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"CMS_TRACING=true needs OpenTelemetry, which is not installed ({missing}): "
            f"install it with `{INSTALL}` (opentelemetry-instrumentation-asgi and opentelemetry-sdk), "
            "or set CMS_TRACING=false"
        )


def tracing_installed() -> bool:
    """OpenTelemetry's ASGI instrumentation (what Litestar's plugin needs) can be imported."""
    try:
        return importlib.util.find_spec("opentelemetry.instrumentation.asgi") is not None
    except ImportError:  # a parent package is missing
        return False


def tracing_plugin() -> InitPluginProtocol:
    """Litestar's OpenTelemetry plugin; TracingUnavailableError when its packages are missing."""
    try:
        from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
    except ImportError as error:  # Litestar's MissingDependencyException is an ImportError
        raise TracingUnavailableError(str(error)) from None
    # One span per request: a child span per ASGI message received and sent cost 15–30 µs more a request.
    return OpenTelemetryPlugin(OpenTelemetryConfig(exclude_spans=["receive", "send"]))
