"""What the extractors share about one document, computed once: its text model, the
organisations and people named in it, its time frame and its place frame."""
from __future__ import annotations

import re
from functools import cached_property
from typing import Mapping

from chanye.extract.places import PlaceFrame
from chanye.extract.text import TextModel
from chanye.extract.timeframe import TimeFrame

_PLACE_ORGS = {"government", "park_operator"}
_TAIWAN = re.compile(r"民国|新台币|台湾|台北|台中|台南|高雄|新竹|桃园|立法院|行政院")


class DocumentContext:
    def __init__(self, document: Mapping):
        self.document = document
        self.text: str = document.get("text") or ""
        self.model = TextModel(self.text)

    @cached_property
    def orgs(self) -> list:
        from chanye.extract.entities import find_orgs

        return find_orgs(self.text)

    @cached_property
    def people(self) -> list:
        from chanye.extract.entities import find_people

        return find_people(self.text, self.orgs)

    @cached_property
    def time(self) -> TimeFrame:
        return TimeFrame(self.model, self.document.get("published"), self.document.get("title"), self.roc_calendar)

    @cached_property
    def roc_calendar(self) -> bool:
        """Taiwan text counts years from 1912 (民国104年 = 2015)."""
        return self.document.get("script") == "traditional" and bool(_TAIWAN.search(self.text))

    @cached_property
    def places(self) -> PlaceFrame:
        # a place inside a company's, a university's … name is not where the claim happens; a
        # government's or a park operator's name is (安吉县人民政府, 临港新片区管委会)
        skip = [(o.start, o.end) for o in self.orgs if o.org_type not in _PLACE_ORGS]
        skip += [(p.start, p.end) for p in self.people]
        return PlaceFrame(self.model, self.document.get("region_code"), skip)
