"""The platform-neutral answer: what to say, never how a platform draws it."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ReplyKind(StrEnum):
    DEAL = "deal"
    DEAL_LIST = "deal-list"
    COMPANY = "company"
    PERSON = "person"
    QUOTE = "quote"
    TREND = "trend"
    TREND_LIST = "trend-list"
    STAT = "stat"
    STAT_LIST = "stat-list"
    EVENT = "event"
    EVENT_LIST = "event-list"
    SEARCH = "search"
    TOPIC = "topic"  # a topic explained, with its trends, deals and quotes
    CHOICE = "choice"  # several things match a name: pick one
    HELP = "help"
    NOT_FOUND = "not-found"
    SUBSCRIPTION = "subscription"
    DIGEST = "digest"
    ERROR = "error"
    CALENDAR = "calendar"  # dated events and milestones ahead; a channel's feed
    ABOUT = "about"  # what the knowledge has on the things a message names
    PROPOSAL = "proposal"  # how to propose an entry: a button opens the form
    CURATION = "curation"  # a report or proposal posted for the curators
    FOLLOW = "follow"  # what a conversation follows, and its alert choice
    ALERT = "alert"  # what changed in the knowledge, for what a conversation follows
    REMINDER = "reminder"  # a team's deal reminders: set, listed, done
    COMPS = "comps"  # a table of comparable deals
    EXPORT = "export"  # the same rows, delivered as CSV and Excel files
    COMPARISON = "comparison"  # two companies or two deals side by side
    ASSET = "asset"  # a drug, programme or platform: owners, status, key data, deals


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Fact(Frozen):
    """A labelled value: 'Territory' → 'Greater China'."""

    label: str
    value: str


class SourceCitation(Frozen):
    """Where the answer comes from, with the source's date."""

    title: str
    publisher: str | None = None
    date: str | None = None  # human text at the source's precision: "April 2025"
    locator: str | None = None
    url: str | None = None


class QuoteBlock(Frozen):
    """A verbatim quote and who said it."""

    quote_id: str
    text: str
    speaker: str
    role: str | None = None
    organisation: str | None = None
    source: SourceCitation | None = None

    def attribution(self) -> str:
        """Return 'Speaker, Role, Organisation', leaving out the organisation when the role names it."""
        parts = [self.speaker, self.role or ""]
        if self.organisation and self.organisation.casefold() not in (self.role or "").casefold():
            parts.append(self.organisation)
        return ", ".join(p for p in parts if p)


class ActionKind(StrEnum):
    SHARE = "share"  # post this reply to the channel
    RUN = "run"  # run `command` as if the user typed it (open a deal, another quote, next page)
    PROPOSE = "propose"  # open the proposal form; `command` is the kind (deal, company, …)
    REMIND = "remind"  # ask for a date and a note, then run `command` + " YYYY-MM-DD note"


class Action(Frozen):
    """A button: its label and the command it runs."""

    kind: ActionKind
    label: str
    command: str = ""  # for RUN: text as typed after /chinabio, e.g. "deal bayer-puhe-prmt5"


class ListItem(Frozen):
    """One line of a list, optionally with a button that opens it."""

    title: str
    subtitle: str | None = None
    action: Action | None = None


class Section(Frozen):
    """A titled part of a longer reply (a digest's 'Quotes of the week')."""

    heading: str
    text: str | None = None
    facts: list[Fact] = Field(default_factory=list)
    quotes: list[QuoteBlock] = Field(default_factory=list)
    items: list[ListItem] = Field(default_factory=list)


class Cell(Frozen):
    """One table cell: the text people read, and the typed value a spreadsheet keeps."""

    text: str = ""
    date: dt.date | None = None  # the first day the date could be (see `precision`)
    precision: str | None = None  # "year" | "month" | "day": how much of `date` the source gives
    amount: float | None = None
    currency: str | None = None


class Column(Frozen):
    """A table column: its heading, and whether short tables (chat) show it or only files do."""

    heading: str
    in_chat: bool = True


class TableRow(Frozen):
    """One row of a table, optionally with a button that opens what the row is about."""

    cells: list[Cell]
    action: Action | None = None


class Table(Frozen):
    """Rows and columns with meaning (dates, amounts, sources), never a layout."""

    columns: list[Column]
    rows: list[TableRow] = Field(default_factory=list)
    name: str = "table"  # a short file-name stem for exports: "chinabio-deals"


class ReplyFile(Frozen):
    """A file a reply hands over (an .ics): platforms deliver it as they deliver exports."""

    name: str  # "chinabio-calendar.ics"
    media_type: str
    data: bytes
    label: str  # what a download button names it: "calendar (.ics)"


class Reply(Frozen):
    """Everything an answer means. Renderers decide how it looks on each platform.

    Text fields are plain text (no markup); renderers escape them for their platform.
    """

    kind: ReplyKind
    title: str
    text: str | None = None  # summary paragraph
    facts: list[Fact] = Field(default_factory=list)
    quotes: list[QuoteBlock] = Field(default_factory=list)
    items: list[ListItem] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    sources: list[SourceCitation] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)  # follow-up commands to try
    actions: list[Action] = Field(default_factory=list)
    more: Action | None = None  # "next page" when a list was cut
    shareable: bool = True  # offer "Share to channel"
    entity_ids: list[str] = Field(
        default_factory=list
    )  # what the reply is about (quote rotation, metrics)
    command: str | None = None  # the text that produced this reply: Share re-runs it
    table: Table | None = None  # comps and exports: rows of typed cells
    files: list[ReplyFile] = Field(default_factory=list)  # delivered like an export's files
