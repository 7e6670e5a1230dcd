"""The committed sample PDFs and truth files are what the generator makes, byte for byte."""

import subprocess
import sys

from tests.paths import DATA, ROOT, SAMPLES


def test_generator_reproduces_committed_files(tmp_path):
    out_samples, out_tests = tmp_path / "samples", tmp_path / "data"
    out_samples.mkdir()
    done = subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--samples", str(out_samples),
                           "--tests", str(out_tests)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    generated = sorted(p for p in list(out_samples.iterdir()) + list(out_tests.iterdir()))
    assert len(generated) == len(list(SAMPLES.glob("*.pdf"))) * 2 + 9
    for path in generated:
        committed = (SAMPLES if path.parent == out_samples else DATA) / path.name
        assert committed.exists(), f"{path.name} is generated but not committed"
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator's output"
