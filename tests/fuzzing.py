"""Hypothesis settings shared by the fuzz tests: seeded, bounded, longer on request.

`CHINABIO_FUZZ_EXAMPLES=5000 pytest tests/handlers/test_fuzz_text.py` runs more examples than
the suite's default; the examples are derandomized, so a failure repeats on every run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ_EXAMPLES_ENV = "CHINABIO_FUZZ_EXAMPLES"


def fuzz_settings(default_examples: int) -> settings:
    """Return settings for `default_examples` examples (or $CHINABIO_FUZZ_EXAMPLES), derandomized."""
    examples = int(os.environ.get(FUZZ_EXAMPLES_ENV) or default_examples)
    return settings(
        max_examples=examples,
        derandomize=True,  # the same examples every run: a failure is repeatable, CI is stable
        database=None,  # nothing written to .hypothesis/
        deadline=None,  # timing belongs to the benchmarks, not here
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
