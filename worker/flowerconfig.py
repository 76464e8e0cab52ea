"""Flower's config file (`celery flower --conf=worker/flowerconfig.py`): it logs like every other process.

Tornado, which Flower runs on, executes this file and reads its module-level names as options. `logging` (the
option, not the module) is LOG_LEVEL. Flower's first pass over its command line has already put tornado's own
stderr handler on the root logger: it is replaced by ours, so Flower's lines are JSON in production, at LOG_LEVEL,
through the same redaction (shared/logs.py); tornado's second pass then finds a handler and adds none.
"""

import logging as _logging

from tornado.log import LogFormatter as _TornadoFormatter

from shared.config import get_settings
from shared.logs import configure_from_settings

_root = _logging.getLogger()
for _handler in [h for h in _root.handlers if isinstance(h.formatter, _TornadoFormatter)]:
    _root.removeHandler(_handler)
configure_from_settings(get_settings())
logging = get_settings().log_level.lower()
