"""Imported by the fork server only (see worker_preload.py): importing it warms up
the libraries every worker uses, once, before the first worker is forked."""

import os

from .worker_preload import BUILD_VARIABLE, LANGUAGES_VARIABLE, warm_up

warm_up([lang for lang in os.environ.get(LANGUAGES_VARIABLE, "").split(",") if lang],
        int(os.environ.get(BUILD_VARIABLE) or os.getppid()))
