"""Staging: any input file becomes clean, traceable document rows, or quarantine rows.

    iter_input_files(root) -> sorted entries below root, links not followed (.txt .html .htm .jsonl
                              and anything else, which stage_file quarantines as unsupported_type;
                              links and special files, which reading.input_refusal refuses unread)
    scan_input(path, lines_per_part) -> FileParts: the file's hash, and a JSON-lines file cut into parts
    stage_file(path, run_id, ingested_at, part=None) -> (document rows, quarantine rows)
    analyse_text(raw, today, clues) -> Article: clean body, title, published (and its source),
                              outlet, author, url, script

Modules: reading (files, limits, decoding), normalize (characters), cleaning (page furniture),
webpage (an HTML page's text and tags), metadata (title/date/outlet/author/url), lexicon (word
lists, staging/lexicon/*.csv), stage (rows; crawler records' fields).
"""
from .reading import FilePart, iter_input_files, scan_input
from .stage import Article, analyse_text, stage_file

__all__ = ["Article", "FilePart", "analyse_text", "iter_input_files", "scan_input", "stage_file"]
