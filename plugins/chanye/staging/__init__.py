"""Staging: any input file becomes clean, traceable document rows, or quarantine rows.

    iter_input_files(root) -> sorted files below root (.txt .html .htm .jsonl and anything else,
                              which stage_file quarantines as unsupported_type)
    stage_file(path, run_id, ingested_at) -> (document rows, quarantine rows)
    clean_text(raw) -> (body text, metadata hints)

Modules: reading (files, limits, decoding), normalize (characters), cleaning (page furniture),
metadata (title/date/outlet/author), regions (optional gazetteer), stage (rows).
"""
from .reading import iter_input_files
from .stage import clean_text, stage_file

__all__ = ["iter_input_files", "stage_file", "clean_text"]
