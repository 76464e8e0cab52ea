"""The production entry point freezes the heap it built at start, out of the collector's view."""

import os
import subprocess
import sys


def test_the_wsgi_entry_point_freezes_its_startup_heap():
    probe = "import gc, api.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={**os.environ, "LOG_LEVEL": "WARNING"}, timeout=60)
    frozen = int(result.stdout.split()[-1])
    # The app, its models, schemas and imported modules: ~230k objects; a full collection skips them.
    assert frozen > 50_000, result.stdout
