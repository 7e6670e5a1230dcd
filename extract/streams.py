"""Decompression bombs, found before any parser inflates them.

A 1 MB PDF can hold a Flate stream that inflates to gigabytes (a content stream of spaces, a 20000×20000
image); pdfplumber and pdfium both inflate it whole, and the worker dies at its memory limit after
seconds of work. Flate cannot expand data more than ~1032× (deflate's maximal ratio), so only streams
whose raw length could exceed the budget are inflated here — incrementally, in bounded chunks, stopping
as soon as the budget is passed. An ordinary disclosure costs nothing; a bomb costs one bounded inflate.
"""

from __future__ import annotations

import re
import zlib

MAX_FLATE_RATIO = 1032
_CHUNK = 1 << 20  # raw bytes fed to zlib at a time
_OUT_CHUNK = 16 << 20  # decoded bytes held at a time

_STREAM = re.compile(rb"stream\r?\n")
_DICT_WINDOW = 4096  # bytes before `stream` searched for its dictionary


def largest_decoded_stream(data: bytes, budget: int) -> tuple[int, int] | None:
    """The first Flate stream that decodes to more than `budget` bytes, as (offset, decoded bytes so far),
    or None. Streams that cannot be that large are not inflated."""
    min_raw = budget // MAX_FLATE_RATIO
    for m in _STREAM.finditer(data):
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        if end - start < min_raw:
            continue
        head = data[max(0, m.start() - _DICT_WINDOW):m.start()]
        head = head[head.rfind(b"obj"):] if b"obj" in head else head
        if b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl/" not in head:
            continue
        decoded = _inflated_size(data, start, end, budget)
        if decoded > budget:
            return m.start(), decoded
    return None


def _inflated_size(data: bytes, start: int, end: int, budget: int) -> int:
    """Decoded size of data[start:end], counted without holding it; stops once past `budget`."""
    inflater = zlib.decompressobj()
    total = 0
    try:
        for pos in range(start, end, _CHUNK):
            pending = data[pos:min(pos + _CHUNK, end)]
            while pending:
                total += len(inflater.decompress(pending, _OUT_CHUNK))
                if total > budget:
                    return total
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # a corrupt stream is the parsers' business, not a bomb
    return total
