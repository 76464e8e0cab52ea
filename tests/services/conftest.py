"""Fixtures for the service tests."""

from tests.fixtures.imports import committed_world, import_world  # noqa: F401
