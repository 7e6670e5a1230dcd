"""Fake bold — every glyph of a header struck three times at small offsets — is read once by both readers."""

from __future__ import annotations

import io

import pdfplumber
import pypdfium2 as pdfium
import pytest

from fiscalpdf.extract.cell_text import page_lines
from fiscalpdf.extract.page_objects import from_plumber, read_page

reportlab = pytest.importorskip("reportlab")


def fake_bold_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    from samples.generate import FONT_NAME, register_font

    register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(400, 200))
    c.setFont(FONT_NAME, 12)
    for dx, dy in ((0, 0), (0.3, 0), (0.3, 0.3)):  # how Word and WPS draw bold for a font without a bold face
        c.drawString(50 + dx, 150 + dy, "支出/部门预算数")
    c.drawString(50, 100, "合计 12.50")
    c.save()
    return buf.getvalue()


def test_both_readers_read_a_fake_bold_header_once():
    data = fake_bold_pdf()
    doc = pdfium.PdfDocument(data)
    try:
        objects = read_page(doc, 1)
        lines = [text for text, _ in page_lines(objects.chars)]
        objects.release()
    finally:
        doc.close()
    assert lines == ["支出/部门预算数", "合计 12.50"]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        plumbed = [text for text, _ in page_lines(from_plumber(pdf.pages[0], 1).chars)]
    assert plumbed == ["支出/部门预算数", "合计 12.50"]
