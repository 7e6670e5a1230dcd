"""The OCR engine behind fiscalpdf.extract.ocr: RapidOCR 3.x on onnxruntime, its Chinese PP-OCR models read
from inside its wheel (nothing is downloaded, ever), one intra-op thread unless asked for more.

Everything that knows RapidOCR's API is here, behind three calls on grayscale or BGR numpy images:
`detect(image)` (text-line quadrilaterals), `upside_down(crops)` (the 0°/180° classifier, per crop) and
`recognize(crops)` (text, score, and where each character sits along the crop). Its stages are called one
by one — detection on a reduced page, recognition on crops of the full-resolution page — which its
one-call interface cannot do; the version is pinned (constraints.txt) because those stage objects are not
its documented interface.

Importing this module needs nothing; `load_engine` raises OcrUnavailable, naming the extra to install,
when the packages are missing.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

INSTALL_HINT = "pip install 'fiscalpdf[ocr]'"
_PACKAGES = ("rapidocr", "onnxruntime", "cv2")
_WIDE_INPUT = 768  # px at the recogniser's 48-px height: wider crops are read one at a time
_MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
           "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}


class OcrUnavailable(ImportError):
    """The OCR extra is not installed (or its models are missing)."""


def missing_packages() -> list[str]:
    return [name for name in _PACKAGES if importlib.util.find_spec(name) is None]


def require() -> None:
    missing = missing_packages()
    if missing:
        raise OcrUnavailable(f"OCR needs {', '.join(missing)} (not installed): {INSTALL_HINT}")


@dataclass(frozen=True)
class Recognized:
    """One crop's text: `positions[i]` is where text[i] is centred, as a share (0–1) of the crop's width, and
    `scores[i]` how sure the model is of it (text[i] may be a space)."""

    text: str
    score: float
    positions: tuple[float, ...]
    scores: tuple[float, ...]


class Engine:
    def __init__(self, threads: int = 1, rec_width: int = 96, rec_batch: int = 6):
        require()
        import cv2
        import rapidocr
        from rapidocr import RapidOCR

        cv2.setNumThreads(threads)  # the process's OpenCV pool: workers run one per core
        root = Path(rapidocr.__file__).parent / "models"
        params = {
            "Global.log_level": "error",
            "Global.use_cls": False,  # per crop, 0°/180° flips '0.00'; the page's orientation is decided once
            "Global.max_side_len": 100_000,  # never shrink: the caller chooses the resolution
            "Det.limit_type": "max",  # nor enlarge (by default a cell's crop is blown up to 736 px, for seconds)
            "Det.limit_side_len": 100_000,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Rec.rec_img_shape": [3, 48, rec_width],
            "Rec.rec_batch_num": rec_batch,
        }
        for stage, name in _MODELS.items():
            path = root / name
            if not path.is_file():
                raise OcrUnavailable(f"the OCR model {path} is missing: reinstall with {INSTALL_HINT}")
            params[f"{stage}.model_path"] = str(path)  # an explicit path: RapidOCR never looks for a download
        self._ocr = RapidOCR(params=params)
        self._det = self._ocr._load_det_model()
        self._rec = self._ocr._load_rec_model()
        self._cls = None
        self._batch = rec_batch

    def detect(self, image) -> list:
        """Text regions, each a 4×2 array of corner points (pixels of `image`), top to bottom."""
        out = self._det(_bgr(image))
        return [] if out.boxes is None else list(out.boxes)

    def upside_down(self, crops: list) -> list[tuple[bool, float]]:
        """Per crop: whether the classifier reads it as turned 180°, and its confidence."""
        if not crops:
            return []
        if self._cls is None:
            self._cls = self._ocr._load_cls_model()
        out = self._cls([_bgr(c) for c in crops])
        return [(label == "180", float(score)) for label, score in out.cls_res]

    def recognize(self, crops: list) -> list[Recognized]:
        """Crops are read in batches padded to the widest in the batch; a long line (a note across the page)
        is read alone: six of them together took 500 MB more than one at a time."""
        if not crops:
            return []
        wide = [i for i, c in enumerate(crops) if c.shape[1] * 48 > _WIDE_INPUT * max(1, c.shape[0])]
        narrow = [i for i in range(len(crops)) if i not in set(wide)]
        results: list[Recognized | None] = [None] * len(crops)
        for indices, batch in ((narrow, self._batch), (wide, 1)):
            if indices:
                for i, found in zip(indices, self._recognize([crops[i] for i in indices], batch)):
                    results[i] = found
        return results

    def _recognize(self, crops: list, batch: int) -> list[Recognized]:
        from rapidocr.ch_ppocr_rec import TextRecInput

        self._rec.rec_batch_num = batch
        out = self._rec(TextRecInput(img=[_bgr(c) for c in crops], return_word_box=True))
        return [_placed(text, float(score), info) for text, score, info in zip(out.txts, out.scores, out.word_results)]


def _placed(text: str, score: float, info) -> Recognized:
    """Where each character of `text` sits: the model emits each non-space character at one column of its
    output sequence (`word_cols`, spaces left out), and `line_txt_len` columns span the crop."""
    if not text or info is None or not getattr(info, "line_txt_len", 0):
        n = len(text)
        return Recognized(text, score, tuple((i + 0.5) / n for i in range(n)), tuple(score for _ in text))
    cols = [col for word in info.word_cols for col in word]
    confs = list(info.confs) if info.confs else [score] * len(text)
    positions: list[float | None] = []
    k = 0
    for ch in text:
        if ch.isspace():
            positions.append(None)
        else:
            positions.append((cols[k] + 0.5) / info.line_txt_len if k < len(cols) else None)
            k += 1
    # a space sits between its neighbours; anything left unplaced (never seen) is spread evenly
    for i, p in enumerate(positions):
        if p is None:
            before = next((positions[j] for j in range(i - 1, -1, -1) if positions[j] is not None), 0.0)
            after = next((positions[j] for j in range(i + 1, len(positions)) if positions[j] is not None), 1.0)
            positions[i] = (before + after) / 2
    if len(confs) != len(text):
        confs = [score] * len(text)
    return Recognized(text, score, tuple(min(1.0, max(0.0, p)) for p in positions), tuple(float(c) for c in confs))


def _bgr(image):
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


@lru_cache(maxsize=2)
def load_engine(threads: int = 1) -> Engine:
    """One engine per process and thread count: loading the models takes a second and 300 MB."""
    return Engine(threads)
