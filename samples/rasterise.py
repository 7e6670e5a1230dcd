"""Image-only copies of the samples, for OCR tests and benchmarks (written to a temporary folder, never committed).

Each chosen page is rendered by pdfium at `dpi`, optionally stamped with a red seal over its middle, turned
by a small angle (a scan fed in askew) or by quarter turns (a page scanned on its side or upside down),
printed smaller ('fit to page'), blurred (a soft scanner), given Gaussian noise and stored as JPEG (a photocopy
through a cheap scanner), and written back as a page holding nothing but that image, at the page's own size (sides
swapped when turned a quarter). Pages not chosen are copied unchanged, text
layer and all, so a document can mix scanned and born-digital pages like real ones do. Deterministic: the
same arguments give the same bytes' content.

    python samples/rasterise.py IN.pdf OUT.pdf [--dpi 200] [--angle 0.4] [--turn 90] [--stamp] [--blur 0.8] [--jpeg 80]
                                               [--noise 6] [--pages 4-11]
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFilter


def rasterise(src: Path, out: Path, dpi: int = 200, angle: float = 0.0, jpeg_quality: int | None = None,
              noise: float = 0.0, pages: set[int] | None = None, seed: int = 0, turn: int = 0,
              stamp: bool = False, blur: float = 0.0, shrink: float = 1.0) -> Path:
    """Write `out`: `src` with the pages in `pages` (1-based; all when None) replaced by images of them."""
    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(src))
    new = pdfium.PdfDocument.new()
    try:
        for i in range(len(doc)):
            if pages is not None and i + 1 not in pages:
                new.import_pages(doc, [i])
                continue
            page = doc[i]
            width, height = page.get_size()
            bitmap = page.render(scale=dpi / 72 * shrink, fill_color=(255, 255, 255, 255))
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()
            if shrink != 1.0:  # printed 'fit to page': the same page, smaller, centred on the sheet
                sheet = Image.new("RGB", (round(width * dpi / 72), round(height * dpi / 72)), (255, 255, 255))
                sheet.paste(image, ((sheet.width - image.width) // 2, (sheet.height - image.height) // 2))
                image = sheet
            page.close()
            if stamp:
                image = _stamp(image)
            if blur:
                image = image.filter(ImageFilter.GaussianBlur(blur * dpi / 200))
            if angle:
                image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
            if turn % 360:
                image = image.rotate(-(turn % 360), expand=True)  # PIL turns counter-clockwise
                if turn % 180:
                    width, height = height, width
            if noise:
                pixels = np.asarray(image, dtype=np.float32)
                pixels += rng.normal(0.0, noise, pixels.shape[:2])[..., None]
                image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            _add_image_page(new, image, width, height, jpeg_quality)
        new.save(str(out))
    finally:
        new.close()
        doc.close()
    return out


def _stamp(image: Image.Image) -> Image.Image:
    """A red seal (ring, star, a run of characters' blocks round the ring) over the upper middle of the page,
    as offices stamp their tables. Seal ink is translucent: where it covers black print, the print stays
    black (the layers multiply)."""
    layer = Image.new("RGB", image.size, (255, 255, 255))
    draw = ImageDraw.Draw(layer)
    w, h = image.size
    r = min(w, h) // 7
    cx, cy = w // 2, h // 3
    red = (220, 30, 40)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=max(3, r // 18))
    star = [(cx + 0.35 * r * np.cos(np.pi / 2 + k * 4 * np.pi / 5),
             cy - 0.35 * r * np.sin(np.pi / 2 + k * 4 * np.pi / 5))
            for k in range(5)]
    draw.polygon(star, fill=red)
    for k in range(9):  # where the issuing office's name would run round the ring
        a = np.pi * (0.15 + 0.7 * k / 8)
        x, y = cx - 0.75 * r * np.cos(a), cy - 0.75 * r * np.sin(a)
        draw.rectangle((x - r // 16, y - r // 16, x + r // 16, y + r // 16), fill=red)
    return ImageChops.multiply(image, layer)


def _add_image_page(doc: pdfium.PdfDocument, image: Image.Image, width: float, height: float,
                    jpeg_quality: int | None) -> None:
    page = doc.new_page(width, height)
    obj = pdfium.PdfImage.new(doc)
    if jpeg_quality is not None:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=jpeg_quality)
        buffer.seek(0)
        obj.load_jpeg(buffer, inline=False, autoclose=False)
    else:
        bitmap = pdfium.PdfBitmap.from_pil(image)
        obj.set_bitmap(bitmap)
        bitmap.close()
    obj.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(obj)
    page.gen_content()
    page.close()


def page_set(spec: str | None) -> set[int] | None:
    """'4-11,14' → {4, …, 11, 14}; None → None (every page)."""
    if not spec:
        return None
    out: set[int] = set()
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--angle", type=float, default=0.0)
    parser.add_argument("--jpeg", type=int, default=None, metavar="QUALITY")
    parser.add_argument("--noise", type=float, default=0.0)
    parser.add_argument("--turn", type=int, default=0, help="degrees clockwise: 90, 180 or 270")
    parser.add_argument("--stamp", action="store_true")
    parser.add_argument("--blur", type=float, default=0.0, help="Gaussian blur radius, in pixels at 200 dpi")
    parser.add_argument("--shrink", type=float, default=1.0,
                        help="print the page smaller on its sheet (0.7: 9 pt → 6.3 pt)")
    parser.add_argument("--pages", default=None)
    args = parser.parse_args(argv)
    rasterise(args.src, args.out, args.dpi, args.angle, args.jpeg, args.noise, page_set(args.pages),
              turn=args.turn, stamp=args.stamp, blur=args.blur, shrink=args.shrink)


if __name__ == "__main__":
    main()
