"""The load check from benchmarks/load_review.py: 25 browsers open one review link at once, on loopback.

Judged on correctness only (every session renders the scores, no errors, nothing leaves the machine);
the timings are recorded in benchmarks/README.md, not asserted, because they depend on the machine.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from browserkit import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_25_sessions_on_one_review_link_all_render_without_errors():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import load_review

    # Its own thread: the suite's Playwright (sync API) keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        [result] = pool.submit(load_review.measure, [25]).result()
    assert result["errors"] == []
    assert result["rendered"] == 25
    assert result["alone_s"] is not None
