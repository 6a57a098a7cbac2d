"""The text model of one document: paragraphs, sentences, full-stop periods, clauses and stories,
as offsets into the clean body. Built once per document; every extractor reads positions from it.

- A sentence ends at 。！？；; or a line break; a period only at a full stop (a year stated
  before a ； still holds after it); a clause at a comma, colon or bracket as well.
- A story is a headline line and the paragraphs under it: a broadcast bulletin (国内联播快讯)
  strings several stories from different places together, a web page may have section heads.
  A text without headline lines is one story.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]+")
PARAGRAPH_END_RE = re.compile(r"\n+")
PERIOD_END_RE = re.compile(r"[。！？!?\n]+")
CLAUSE_BREAKS = frozenset("，,、；;：:（）()【】《》\n。！？!?")
# The longest sentence (or full-stop period) the extractors read as one: a longer one is cut at
# clause breaks into pieces of about RUN_ON_PIECE_CHARS, so the per-claim look-back (year,
# modality, places, subject) is bounded and a document costs time linear in its length. News
# sentences stay below it (the longest of ~240,000 in the broadcast corpus has ~2,000
# characters), so they are read as before; a 1 MB run-on sentence of 20,000 clauses is not.
MAX_SENTENCE_CHARS = 2400
RUN_ON_PIECE_CHARS = 400
# A headline: a short line that does not end like a sentence and is followed by a paragraph.
_HEADLINE_MAX = 48
_SENTENCE_CLOSE = re.compile(r"[。！？!?；;…：:”’」』)）]\s*$")


def split_spans(text: str, separator: re.Pattern, limit: int | None = None,
                piece: int = RUN_ON_PIECE_CHARS) -> tuple[list[int], list[int]]:
    """Start and end offsets of the pieces between separators (a sentence keeps its 。); with a
    limit, a longer one is cut after clause breaks into pieces of at most `piece` characters."""
    marks = [(m.start(), m.end(), text[m.start()] == "\n") for m in separator.finditer(text)]
    starts = [0] + [end for _, end, _ in marks]
    ends = [start if newline else end for start, end, newline in marks] + [len(text)]
    if limit is None or all(e - s <= limit for s, e in zip(starts, ends)):
        return starts, ends
    cut_starts, cut_ends = [], []
    for s, e in zip(starts, ends):
        long = e - s > limit
        while long and e - s > piece:
            cut = s + piece
            while cut > s + piece // 2 and text[cut - 1] not in CLAUSE_BREAKS:
                cut -= 1  # after the last clause break of the piece's second half
            cut = cut if cut > s + piece // 2 else s + piece
            cut_starts.append(s)
            cut_ends.append(cut)
            s = cut
        cut_starts.append(s)
        cut_ends.append(e)
    return cut_starts, cut_ends


@dataclass(frozen=True)
class Story:
    start: int
    end: int
    headline: tuple[int, int] | None  # the headline line's span, when the story has one


class TextModel:
    """Offsets of the units of one text; each lookup is a binary search."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def sentences(self) -> tuple[list[int], list[int]]:
        return split_spans(self.text, SENTENCE_END_RE, MAX_SENTENCE_CHARS)

    @cached_property
    def paragraphs(self) -> tuple[list[int], list[int]]:
        return split_spans(self.text, PARAGRAPH_END_RE)

    @cached_property
    def _period_starts(self) -> list[int]:
        return split_spans(self.text, PERIOD_END_RE, MAX_SENTENCE_CHARS)[0]

    def sentence_index(self, pos: int) -> int:
        return bisect.bisect_right(self.sentences[0], pos) - 1

    def sentence_at(self, pos: int) -> tuple[int, int]:
        i = self.sentence_index(pos)
        return self.sentences[0][i], self.sentences[1][i]

    def paragraph_index(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraphs[0], pos) - 1

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        i = self.paragraph_index(pos)
        return self.paragraphs[0][i], self.paragraphs[1][i]

    def period_start(self, pos: int) -> int:
        return self._period_starts[bisect.bisect_right(self._period_starts, pos) - 1]

    def clause_start(self, pos: int, floor: int | None = None) -> int:
        """Where the clause holding pos begins (not before `floor`, default its sentence)."""
        floor = self.sentence_at(pos)[0] if floor is None else floor
        i = pos - 1
        while i >= floor and self.text[i] not in CLAUSE_BREAKS:
            i -= 1
        return i + 1

    def clause_end(self, pos: int, ceiling: int | None = None) -> int:
        ceiling = self.sentence_at(pos)[1] if ceiling is None else ceiling
        i = pos
        while i < ceiling and self.text[i] not in CLAUSE_BREAKS:
            i += 1
        return i

    # ------------------------------------------------------------ stories and headlines

    @cached_property
    def headlines(self) -> list[tuple[int, int]]:
        """Headline lines: short, not closed like a sentence, followed by a longer paragraph."""
        starts, ends = self.paragraphs
        found = []
        for i in range(len(starts) - 1):
            line = self.text[starts[i]:ends[i]].strip()
            following = ends[i + 1] - starts[i + 1]
            if 4 <= len(line) <= _HEADLINE_MAX and not _SENTENCE_CLOSE.search(line) and following > len(line):
                found.append((starts[i], ends[i]))
        return found

    @cached_property
    def stories(self) -> list[Story]:
        """The headline lines cut the text into stories; text before the first headline is a
        story of its own (a lead, or the whole text when there is no headline)."""
        cuts = [start for start, _ in self.headlines]
        bounds = sorted({0, *cuts, len(self.text)})
        heads = dict(self.headlines)
        return [Story(a, b, (a, heads[a]) if a in heads else None) for a, b in zip(bounds, bounds[1:]) if b > a]

    def story_at(self, pos: int) -> Story:
        starts = [s.start for s in self.stories]
        return self.stories[max(0, bisect.bisect_right(starts, pos) - 1)]

    def in_headline(self, pos: int) -> bool:
        story = self.story_at(pos)
        return story.headline is not None and story.headline[0] <= pos < story.headline[1]

    @property
    def is_bulletin(self) -> bool:
        """Several stories under their own headlines (a news round-up)."""
        return len(self.headlines) >= 2
