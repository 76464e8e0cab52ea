"""Fixtures for the worker tests."""

from tests.fixtures.imports import committed_world  # noqa: F401
