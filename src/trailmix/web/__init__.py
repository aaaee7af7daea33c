"""The web app and HTTP API: FastAPI over the same library as the CLI (docs/web.md)."""

from trailmix.web.app import create_app
from trailmix.web.settings import Settings

__all__ = ["Settings", "create_app"]
