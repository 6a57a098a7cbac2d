"""Finding input files and turning raw bytes into text, or into a reason why not.

Decoding order: BOM, UTF-16 without BOM (NUL pattern), binary sniffing, strict UTF-8 (the common
case and fast), then GB18030 vs Big5 chosen by how plausible the decoded Chinese is, then
charset-normalizer as a last resort. charset-normalizer alone mislabels short Big5/GBK texts
(cp932, cp949, utf_16_be were observed), hence the own GB/Big5 arbitration.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .normalize import CJK, cjk_count, to_simplified

ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = ARTICLE_SUFFIXES | JSONL_SUFFIXES
MAX_ARTICLE_BYTES = 5 * 1024 * 1024  # one article; a JSON-lines file is streamed and has no file limit
SKIPPED_NAMES = re.compile(r"^(README|LICENSE)(\.\w+)?$", re.IGNORECASE)  # docs of an input folder

_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"PK\x03\x04", b"\x1f\x8b", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


class StagingProblem(Exception):
    """An input that cannot become a document; carries the quarantine reason code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def iter_input_files(root: Path) -> list[Path]:
    """A file, or every entry below a folder, sorted. Unsupported types are returned too (stage_file
    quarantines them), and so are symbolic links and special files (FIFOs, devices, sockets): the
    plan refuses them (input_refusal) so that each is accounted for, never silently dropped.
    Symbolic links to folders are not descended into. Hidden entries and README/LICENSE
    documentation of the folder are not input."""
    root = Path(root)
    if root.is_file() or (root.exists() and not root.is_dir()):
        return [root]
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, names in os.walk(root):  # never follows links: a loop cannot trap the walk
        here = Path(folder)
        linked = [d for d in dirs if (here / d).is_symlink()]  # listed, not walked
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
        for name in names + linked:
            if not name.startswith(".") and not SKIPPED_NAMES.match(name):
                found.append(here / name)
    return sorted(found)


# Why an entry of the input folder is refused without being read (the quarantine reason, and what
# to do about it). An input must be a regular file inside the input folder: a link leaving it
# could make a run read any file of the machine (/etc/passwd), a FIFO would block the reader.
REFUSALS = {
    "symlink_loop": "The symbolic link loops (or nests too deep) and names no file; remove or fix it.",
    "symlink_broken": "The symbolic link points to nothing; remove it or restore its target.",
    "symlink_outside_input": "The symbolic link points outside the input folder ({target}); copy the file in instead.",
    "symlink_directory": "The symbolic link names a folder ({target}); folders are read only where they are.",
    "not_regular_file": "The entry is a {kind}, not a regular file; only files are read.",
}


def input_refusal(path: Path, root: Path | None) -> tuple[str, str] | None:
    """(reason, detail) when `path` is not a regular file inside `root` once its links are
    resolved (without a root: only loops, dangling links and special files), else None."""
    path = Path(path)
    target = path
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except RuntimeError:  # Python < 3.13 raises this for a loop
            return "symlink_loop", REFUSALS["symlink_loop"]
        except OSError as exc:
            reason = "symlink_loop" if exc.errno == errno.ELOOP else "symlink_broken"
            return reason, REFUSALS[reason]
        if root is not None and not target.is_relative_to(Path(root).resolve()):
            return "symlink_outside_input", REFUSALS["symlink_outside_input"].format(target=target)
        if target.is_dir():
            return "symlink_directory", REFUSALS["symlink_directory"].format(target=target)
    try:
        mode = target.stat().st_mode
    except OSError:
        return None  # unreadable: staging quarantines it with the OS's reason
    if not stat.S_ISREG(mode):
        kind = ("FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
                else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")
        return "not_regular_file", REFUSALS["not_regular_file"].format(kind=kind)
    return None


@dataclass(frozen=True)
class FilePart:
    """A unit of staging work: a whole input file, or a run of lines of a JSON-lines file (from
    byte `offset`, line `first_line`, `lines` lines; None: to the end). `items` is its weight
    when batches are packed (1 for an article file)."""

    path: str
    file_hash: str = ""
    byte_size: int = 0
    offset: int = 0
    first_line: int = 1
    lines: int | None = None
    items: int = 1
    refused: str = ""  # a REFUSALS reason: staging quarantines the part without reading it


def scan_input(path: Path, lines_per_part: int) -> list[FilePart]:
    """Hash an input file in one streamed read and, for a JSON-lines file, cut it into parts of at
    most `lines_per_part` lines (byte offsets, so staging a part seeks instead of re-reading), so
    one huge export never becomes one huge batch. UTF-16 files are not cut (no b"\\n" framing)."""
    digest, size, starts = hashlib.sha256(), 0, []
    with path.open("rb") as fh:
        head = fh.read(2)
        fh.seek(0)
        cut = path.suffix.lower() in JSONL_SUFFIXES and head not in (b"\xff\xfe", b"\xfe\xff")
        for number, line in enumerate(fh):
            if cut and number % lines_per_part == 0:
                starts.append((size, number + 1))
            digest.update(line)
            size += len(line)
    file_hash, name = digest.hexdigest(), str(path)
    if not starts:
        return [FilePart(name, file_hash, size)]
    total = number + 1
    return [
        FilePart(name, file_hash, size, offset, first, min(lines_per_part, total - first + 1), min(lines_per_part, total - first + 1))
        for offset, first in starts
    ]


def looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC):
        return True
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(4, len(sample) // 200)


def _utf16_without_bom(data: bytes) -> str | None:
    """Mostly-ASCII or CJK UTF-16 has NULs in one byte lane; return the codec name or None."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    for codec, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if nuls > half * 0.2:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            sample = text[:2000]
            controls = sum(ch < " " and ch not in "\t\n\r\f" for ch in sample)
            if cjk_count(sample) and controls <= len(sample) // 200 and plausibility(sample) > 0.5:
                return codec
    return None


def plausibility(text: str) -> float:
    """Share of Chinese characters that are common ones (GB2312 level 1 once simplified). Right
    decodings score ~0.9+, GBK read as Big5 (or the reverse) ~0.3-0.5."""
    sample = "".join(CJK.findall(text[:4000]))
    if not sample:
        return 0.0
    simplified = to_simplified(sample)
    common = 0
    for ch in simplified:
        try:
            code = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 0xB0 <= code[0] <= 0xD7
    return common / len(simplified)


def _decode_chinese_legacy(data: bytes) -> Decoded | None:
    best: tuple[float, Decoded] | None = None
    for codec, label in (("gb18030", "gb18030"), ("cp950", "big5")):
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        if bad > max(2, len(text) // 500):
            continue
        score = plausibility(text) - bad / max(1, len(text))
        if best is None or score > best[0]:
            best = (score, Decoded(text, label))
    return best[1] if best and best[0] > 0.5 else None


def _decode_by_detection(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes  # slow import, rarely needed

    match = from_bytes(data).best()
    if match is None:
        return None
    text = str(match)
    return Decoded(text, match.encoding) if cjk_count(text) else None


def decode_bytes(data: bytes) -> Decoded:
    """Decode one article's bytes or raise StagingProblem(binary|undecodable|empty_file)."""
    if not data.strip():
        raise StagingProblem("empty_file", "The input holds no bytes (or only whitespace); re-export the source.")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return Decoded(data.decode(utf16), utf16)
    if looks_binary(data):
        raise StagingProblem(
            "binary",
            "The input contains NUL/control bytes or a binary file signature (PDF, image, archive); "
            "convert it to text or HTML first.",
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    decoded = _decode_chinese_legacy(data) or _decode_by_detection(data)
    if decoded is None:
        raise StagingProblem(
            "undecodable",
            "The bytes are not valid UTF-8, GB18030/GBK, Big5 or UTF-16; re-save the file as UTF-8.",
        )
    return decoded


def _strict(data: bytes, codec: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), codec)
    except UnicodeDecodeError as exc:
        raise StagingProblem(
            "undecodable", f"The file starts with a {codec} byte-order mark but is not valid {codec} ({exc.reason})."
        ) from exc


def read_article_bytes(path: Path) -> bytes:
    """The bytes of a one-article file, refusing oversized ones before reading them."""
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise StagingProblem(
            "too_large",
            f"The file has {size:,} bytes, over the {MAX_ARTICLE_BYTES:,}-byte limit for one article; "
            "split it or check that it is really a single article.",
        )
    return path.read_bytes()


_LOST = re.compile("[\ufffd?]+")
_LATIN1_LETTERS = re.compile(r"[\x80-\xff]")
_GBK_SHOWN_UTF8 = re.compile("[锛銆鍙鏂鐨]")  # ，。发新的 in UTF-8 read as GBK: rare characters otherwise
_MOJIBAKE_ROUTES = {
    "latin": (("latin-1", "gb18030"), ("cp1252", "utf-8"), ("latin-1", "utf-8")),  # Chinese shown as ÉîÛÚ / æ·±åœ³
    "cjk": (("gb18030", "utf-8"), ("gb18030", "big5")),  # UTF-8 (or Big5) bytes shown as GBK: 娣卞湷甯
}


def repair_mojibake(text: str) -> str:
    """Text a crawler decoded with the wrong codec before it reached us (JSON-lines records):
    re-encode it the wrong way and decode it the right way, kept only when the Chinese becomes
    plausible (common characters) with few losses."""
    sample = text[:400]  # enough to tell, cheap on every record
    latin = len(_LATIN1_LETTERS.findall(sample))
    if latin > 10 and latin > cjk_count(sample):
        routes, before = _MOJIBAKE_ROUTES["latin"], 0.0
    elif _GBK_SHOWN_UTF8.search(sample) and (before := plausibility(sample)) < 0.6:
        routes = _MOJIBAKE_ROUTES["cjk"]
    else:
        return text
    best, best_score = text, before
    for wrong, right in routes:
        try:
            fixed = text.replace("\ufffd", "?").encode(wrong, errors="replace").decode(right, errors="replace")
        except LookupError:
            continue
        if "?" not in text:  # what was lost before it reached us: one mark per lost character
            fixed = _LOST.sub("\ufffd", fixed)
        lost = fixed.count("\ufffd")
        score = plausibility(fixed[:400])
        # a lossy wrong decoding (errors="replace") cannot be undone in full: most of it is still worth having
        if score > best_score + 0.2 and lost <= max(2, cjk_count(fixed) // (50 if score < best_score + 0.3 else 3)):
            best, best_score = fixed, score
    return best
