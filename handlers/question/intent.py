"""Read what a question asks for: who, what was paid, when, status, a figure, a list, a quote, ..."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

from handlers.parse import tokens
from handlers.words import INTENT_CUES, words_of


class Ask(StrEnum):
    """What a question asks for."""

    COMPARE = "compare"
    PROFILE = "profile"  # who is X
    WHO = "who"  # who at X, who said Y
    PAID = "paid"  # what was paid, the terms
    WHEN = "when"
    STATUS = "status"  # an asset's stage, approvals, data
    FIGURE = "figure"
    LIST = "list"  # deals with filters
    QUOTE = "quote"
    EXPLAIN = "explain"
    TREND = "trend"
    DEAL = "deal"
    EVENT = "event"
    ANY = "any"  # nothing says: answer by what is named


@dataclass(frozen=True)
class Filters:
    """The deal filters a question states in words, as `deals` command filters."""

    year: int | None = None
    country: str | None = None
    has_money: bool = False
    sort: str | None = None  # amount | date
    deal_type: str | None = None
    region: str | None = None

    def command(self) -> list[str]:
        """Return the `key:value` filters of the `deals` command."""
        parts = []
        if self.year is not None:
            parts.append(f"year:{self.year}")
        if self.country:
            parts.append(f"country:{self.country}")
        if self.region:
            parts.append(f"region:{self.region}")
        if self.deal_type:
            parts.append(f"type:{self.deal_type}")
        if self.has_money:
            parts.append("has:money")
        if self.sort:
            parts.append(f"sort:{self.sort}")
        return parts

    def __bool__(self) -> bool:
        return bool(self.command())


@dataclass(frozen=True)
class Intent:
    """The question's intent and its filters."""

    ask: Ask
    filters: Filters = field(default_factory=Filters)
    asks_count: bool = False  # "how many": a count, not a share


_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
#: Region words as people type them -> the `region:` filter value.
REGIONS = {
    "asia": "Asia", "asian": "Asia", "apac": "Asia", "europe": "Europe", "european": "Europe",
}  # fmt: skip
#: Country and city words as people type them -> the `country:` filter value.
COUNTRIES = {
    "korea": "Korea", "korean": "Korea", "japan": "Japan", "japanese": "Japan",
    "us": "U.S.", "u.s": "U.S.", "american": "U.S.", "america": "U.S.", "usa": "U.S.",
    "france": "France", "french": "France", "german": "Germany", "germany": "Germany",
    "shanghai": "Shanghai", "hangzhou": "Hangzhou", "nanjing": "Nanjing",
}  # fmt: skip
_TYPES = {
    "acquisitions": "acquisition", "acquisition": "acquisition", "licensing": "licence",
    "licence": "licence", "license": "licence", "licences": "licence", "licenses": "licence",
    "newco": "newco", "newcos": "newco", "equity": "equity-investment",
    "incubation": "incubation",
}  # fmt: skip
_PAID = words_of(
    "pay paid pays price priced cost terms upfront milestone milestones worth financial "
    "invest invested put money amount value payment payments"
)
_STATUS = words_of("status stage phase approved approval designation orphan ind data")
_FIGURE_STARTS = (
    ("how", "many"), ("how", "much"), ("how", "far"), ("how", "long"), ("how", "big"),
    ("what", "share"), ("what", "percent"), ("what", "percentage"), ("what", "%"),
)  # fmt: skip
_FIGURE_WORDS = words_of(
    "percent percentage share anniversary version bar figure figures decline declined fall "
    "fell drop dropped total"
)
_IDIOM_ABOUT = ["the", "deal", "with"]
_FOUNDING = words_of("founded founder founders set backs backed started")
_CAREER = words_of("before career previously earlier formerly")
_PARTIES = words_of("parties party partners involved")
_DEAL_WORDS = words_of(
    "deal deals licence license licensing acquisition partnership collaboration investment"
)
_INTENT_EVENT = words_of("event events forum conference panel keynote")
#: What people type before the question itself.
_PREAMBLES = (
    ["can", "you", "tell", "me"], ["could", "you", "tell", "me"], ["do", "you", "know"],
    ["i", "want", "to", "know"], ["i'd", "like", "to", "know"], ["please", "tell", "me"],
    ["can", "u", "tell", "me"], ["one"],  # "quick one - who ...": "quick" is filler
)  # fmt: skip
_FILLER = words_of("hey hi hii hiii hello yo ok okay so um quick question please pls chinabio bot")
_SAID = words_of("quote quotes said say says saying think thinks")
_DEALING = words_of("partner partnered license licensed licence buy bought acquire acquired invest")
_COMPARE = words_of("compare vs versus difference")
_LIST_WORDS = words_of("deals list")
_MONEY_FILTER = words_of("amount amounts money disclosed")
_BIGGEST = words_of("biggest largest")
_RECENT = words_of("recent latest newest")
#: Words for an investor as people type them ("which VC was interviewed").
INVESTOR_WORDS = words_of("investor investors vc vcs")


def read_intent(text: str) -> Intent:
    """Return what `text` asks for, with the deal filters it states."""
    words = without_preamble([w.casefold() for w in tokens(text.replace("%", " percent "))])
    has = set(words)
    filters = _filters(words)
    pairs = set(pairwise(words))
    asks_count = ("how", "many") in pairs
    if has & _COMPARE:
        return Intent(Ask.COMPARE, filters)
    if _IDIOM_ABOUT in (words[1:4], words[2:5]):  # "what's the deal with X": what about X
        return Intent(Ask.EXPLAIN, filters)
    if words[:1] == ["who"] and words[1:2] in (["did"], ["does"], ["has"]) and has & _DEALING:
        return Intent(Ask.LIST if filters else Ask.DEAL, filters)
    if words[:2] in (["which", "person"], ["which", "people"]) or (
        words[:1] == ["which"] and words[1:2] and words[1] in INVESTOR_WORDS
    ):
        return Intent(Ask.WHO, filters)
    if words[:1] in (["who"], ["whos"], ["who's"]) and has & _PARTIES:
        return Intent(Ask.DEAL, filters)  # "who are the parties in the Belenos NewCo?"
    if words[:1] in (["who"], ["whos"], ["who's"]):
        if words[1:2] in (["is"], ["was"], ["'s"]) and not has & {"at", "from", "ceo", "head"}:
            return Intent(Ask.PROFILE, filters)
        if has & _FOUNDING:
            return Intent(Ask.PROFILE, filters)  # "who founded Ji Xing": what the source says of it
        return Intent(Ask.WHO, filters)  # who at X, who said Y, who thinks Z
    if words[:1] == ["when"] and has & _INTENT_EVENT and not has & _DEAL_WORDS:
        return Intent(Ask.EVENT, filters)
    if words[:1] == ["when"]:
        return Intent(Ask.WHEN, filters)
    if (has & _PAID or (("how", "much") in pairs and has & _DEAL_WORDS)) and not filters.has_money:
        return Intent(Ask.PAID, filters)
    if has & _STATUS:
        return Intent(Ask.STATUS, filters)
    if pairs & set(_FIGURE_STARTS) or has & _FIGURE_WORDS:
        return Intent(Ask.FIGURE, filters, asks_count)
    if has & _CAREER:
        return Intent(Ask.PROFILE, filters)  # "what did Cynthia Wang do before Servier"
    if has & _SAID:
        return Intent(Ask.QUOTE, filters)
    yes_no = words[:1] in (["does"], ["do"], ["is"], ["are"], ["can"])
    if (filters or has & _LIST_WORDS) and not (yes_no and not filters):
        return Intent(Ask.LIST, filters)
    for name, cues in INTENT_CUES:
        if has & cues:
            return Intent(Ask(name if name != "stat" else "figure"), filters, asks_count)
    if words[:2] in (["what", "is"], ["what", "are"], ["what's"], ["whats"]) or words[:1] in (
        ["explain"],
        ["what's"],
    ):
        return Intent(Ask.EXPLAIN, filters)
    return Intent(Ask.ANY, filters)


def without_preamble(words: list[str]) -> list[str]:
    """Return the words without a leading greeting or "can you tell me" (lowercased words)."""
    while words and words[0] in _FILLER:
        words = words[1:]
    for preamble in _PREAMBLES:
        if words[: len(preamble)] == preamble:
            return words[len(preamble) :]
    return words


def _filters(words: list[str]) -> Filters:
    """Return the deal filters stated in words: year, country, type, money, order."""
    has = set(words)
    year = next((int(m.group()) for w in words if (m := _YEAR.fullmatch(w))), None)
    companies = {"companies", "company", "firms", "biotech", "biotechs", "pharma"}
    about_deals = has & ({"deal", "deals"} | companies | _DEALING)
    country = next((COUNTRIES[w] for w in words if w in COUNTRIES), None) if about_deals else None
    region = next((REGIONS[w] for w in words if w in REGIONS), None) if about_deals else None
    deal_words = has & {"deal", "deals", "acquisitions", "investments", "newcos"}
    deal_type = None
    if deal_words:
        deal_type = next((_TYPES[w] for w in words if w in _TYPES), None)
        if "equity" in has and "investments" in has:
            deal_type = "equity-investment"
    elif has & {"acquisitions", "investments"}:
        deal_type = "acquisition" if "acquisitions" in has else "equity-investment"
    biggest = bool(has & _BIGGEST) or ("size" in has and bool(deal_words))  # not "the market size"
    sort = "amount" if biggest else "date" if has & _RECENT else None
    has_money = bool(deal_words and has & _MONEY_FILTER) or sort == "amount"
    return Filters(year, country, has_money, sort, deal_type, region)
