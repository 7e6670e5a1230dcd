"""The garbage collector runs less often while a document is read, and the caller's thresholds come back."""

from __future__ import annotations

import gc

import pytest

from fiscalpdf.pipelines.collector import YOUNG_THRESHOLD, fewer_collections


def test_the_thresholds_are_raised_inside_and_restored_after_even_on_an_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with fewer_collections():
            assert gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD)
            assert gc.get_threshold()[1:] == before[1:]
            raise RuntimeError("a document failed")
    assert gc.get_threshold() == before
