"""Staging: any input file becomes clean, traceable document rows, or quarantine rows.

    iter_input_files(root) -> sorted files below root (.txt .html .htm .jsonl and anything else,
                              which stage_file quarantines as unsupported_type)
    scan_input(path, lines_per_part) -> FileParts: the file's hash, and a JSON-lines file cut into parts
    stage_file(path, run_id, ingested_at, part=None) -> (document rows, quarantine rows)
    clean_text(raw) -> (body text, metadata hints)

Modules: reading (files, limits, decoding), normalize (characters), cleaning (page furniture),
metadata (title/date/outlet/author), regions (optional gazetteer), stage (rows).
"""
from .reading import FilePart, iter_input_files, scan_input
from .stage import clean_text, stage_file

__all__ = ["FilePart", "iter_input_files", "scan_input", "stage_file", "clean_text"]
