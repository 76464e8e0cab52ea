"""The one version string of a build: the git tag in the repository, APP_VERSION in the images.

Images get APP_VERSION (the release tag's version) as a build argument, and pydantic reads it from the environment
before this is consulted. A checkout (`make run`, tests) has no APP_VERSION: it is the nearest v* tag (`git describe`,
"1.4.0", or "1.4.0+3.gabc1234" three commits later), else pyproject.toml's version (no tag yet, or no git at all).
frontend/vite.config.ts derives VITE_APP_VERSION by the same rule, so the PWA and the API agree without a setting.
"""

import re
import subprocess
import tomllib
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
_DESCRIBE = re.compile(r"^v(?P<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+?)?)(?:-(?P<ahead>\d+)-(?P<sha>g[0-9a-f]+))?$")
FALLBACK_VERSION = "0.0.0"


def from_describe(described: str) -> str | None:
    """'v1.4.0' -> '1.4.0'; 'v1.4.0-3-gabc1234' -> '1.4.0+3.gabc1234' (semver build metadata); else None."""
    match = _DESCRIBE.match(described.strip())
    if not match:
        return None
    if match["ahead"]:
        return f"{match['version']}+{match['ahead']}.{match['sha']}"
    return match["version"]


def _git_describe(root: Path) -> str | None:
    if not (root / ".git").exists():
        return None
    try:
        result = subprocess.run(["git", "-C", str(root), "describe", "--tags", "--match", "v[0-9]*"],
                                capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return from_describe(result.stdout) if result.returncode == 0 else None


def _pyproject_version(root: Path) -> str | None:
    try:
        return tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


@lru_cache(maxsize=1)
def detect_version(root: Path = REPO_ROOT) -> str:
    """This checkout's version when APP_VERSION is not set (cached: git runs once per process)."""
    return _git_describe(root) or _pyproject_version(root) or FALLBACK_VERSION
