"""The digest's content: reminders, trend, deal, quote, rotation, anniversaries, changes, topics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import pytest

from handlers.context import TeamReminder
from handlers.digest import ChannelHistory, compose_digest, fingerprints
from handlers.reply import ListItem, Reply, ReplyKind
from knowledge import KnowledgeError, KnowledgeStore, load_store
from knowledge.models import Deal
from tests.digest.conftest import DATA

MONDAY = dt.date(2026, 3, 30)


def _section(reply: Reply, heading: str) -> list[str]:
    """Return the item titles (or quote ids) of the section whose heading starts with `heading`."""
    for section in reply.sections:
        if section.heading.startswith(heading):
            return [i.title for i in section.items] + [q.quote_id for q in section.quotes]
    return []


def _headings(reply: Reply) -> list[str]:
    return [s.heading for s in reply.sections]


def _items(reply: Reply, heading: str) -> list[ListItem]:
    return next((s.items for s in reply.sections if s.heading.startswith(heading)), [])


def test_digest_sections_in_order_each_with_a_command(digest_store: KnowledgeStore) -> None:
    """Deal reminders, trend, deal and quote of the week, in that order, each with a 'more' button."""
    reply = compose_digest(digest_store, MONDAY)
    assert reply.kind is ReplyKind.DIGEST
    assert reply.title == "ChinaBio weekly digest — week of 30 March 2026"
    headings = _headings(reply)
    assert headings[0] == "Deal reminders"
    assert headings[1].startswith("Trend of the week: ")
    assert headings[2].startswith("Deal of the week: ")
    assert headings[3] == "Quote of the week"
    for section in reply.sections:
        assert any(i.action and i.action.command for i in section.items), section.heading
    assert [s.title for s in reply.sources] == ["ChinaBio Thought Leadership 2025"]


def test_reminders_cover_the_next_thirty_days_only(digest_store: KnowledgeStore) -> None:
    """Milestones and events within 30 days are listed soonest first; later ones are not."""
    coming = _section(compose_digest(digest_store, MONDAY), "Deal reminders")
    assert any("10 April 2026: Servier acquires" in t and "transition payment" in t for t in coming)
    assert any(t.startswith("22 April 2026: ChinaBio Partnering Forum 2026") for t in coming)
    assert any(t.startswith("April 2026: J&J and LegoChem") for t in coming)
    early = _section(compose_digest(digest_store, dt.date(2026, 3, 2)), "Deal reminders")
    assert not any("Servier" in t or "Forum" in t for t in early)  # 39 and 51 days away
    dated = [t for t in coming if "April 2026:" in t]
    assert dated[0].startswith("April 2026")
    assert dated[-1].startswith("22 April")


def test_reminders_section_is_never_missing() -> None:
    """With nothing due, the deal reminders still say so and offer to set one."""
    reply = compose_digest(KnowledgeStore.build([]), MONDAY)
    assert _headings(reply)[0] == "Deal reminders"
    assert reply.sections[0].text == "Nothing falls due in the coming weeks."
    assert _items(reply, "Deal reminders")[-1].action.command == "reminders"  # type: ignore[union-attr]


def test_month_anniversary_at_month_precision(digest_store: KnowledgeStore) -> None:
    """A December 2023 deal is 'three years ago this month' in a December 2026 digest, not in November."""
    december = _section(compose_digest(digest_store, dt.date(2026, 12, 7)), "Deal reminders")
    assert (
        "Three years ago this month (December 2023): "
        "Servier acquires Greater China rights to Tibsovo from CStone"
    ) in december
    november = _section(compose_digest(digest_store, dt.date(2026, 11, 30)), "Deal reminders")
    assert not any("years ago" in t for t in november)


def test_month_anniversary_once_a_year_with_memory(digest_store: KnowledgeStore) -> None:
    """Once shown, a month's anniversary does not come back in the month's later weeks."""
    first = compose_digest(digest_store, dt.date(2026, 12, 7))
    shown = dict.fromkeys(first.entity_ids, dt.date(2026, 12, 7))
    later = compose_digest(digest_store, dt.date(2026, 12, 14), ChannelHistory(featured=shown))
    assert not any("years ago" in t for t in _section(later, "Deal reminders"))
    next_year = compose_digest(digest_store, dt.date(2027, 12, 6), ChannelHistory(featured=shown))
    assert any("Four years ago" in t for t in _section(next_year, "Deal reminders"))


def test_day_anniversary_falls_in_the_digest_week(digest_store: KnowledgeStore) -> None:
    """A deal dated 31 March 2024 is 'two years ago this week' in the digest of 30 March 2026."""
    this_week = _section(compose_digest(digest_store, MONDAY), "Deal reminders")
    assert any(t.startswith("Two years ago this week (31 March 2024): Bayer") for t in this_week)
    next_week = _section(compose_digest(digest_store, dt.date(2026, 4, 6)), "Deal reminders")
    assert not any("Bayer" in t for t in next_week)


def test_year_only_date_gives_no_anniversary(digest_store: KnowledgeStore) -> None:
    """The J&J–LegoChem deal, dated only '2023', is never an anniversary in any month."""
    for month in range(1, 13):
        items = _section(compose_digest(digest_store, dt.date(2026, month, 15)), "Deal reminders")
        assert not any("years ago" in t and "LegoChem" in t for t in items)


def test_no_fragments_and_different_speakers(digest_store: KnowledgeStore) -> None:
    """Quotes under eight words never appear on their own; two quotes never share a speaker."""
    shown: dict[str, dt.date] = {}
    for week in range(6):
        day = MONDAY + dt.timedelta(weeks=week)
        reply = compose_digest(digest_store, day, ChannelHistory(featured=shown))
        quotes = [q for s in reply.sections for q in s.quotes]
        assert all(len(q.text.split()) >= 8 for q in quotes)
        assert len({q.speaker for q in quotes}) == len(quotes)
        shown.update(dict.fromkeys(reply.entity_ids, day))


def test_topic_filter_narrows_and_widens_saying_so(digest_store: KnowledgeStore) -> None:
    """topics:ADC keeps the ADC deal and reminders; with little on ADC it widens, and says so."""
    reply = compose_digest(digest_store, MONDAY, topics=["adc"])
    assert (reply.text or "").startswith("Topics: ADC. Little on ADC is new this week")
    coming = [t for t in _section(reply, "Deal reminders") if not t.startswith("Set a")]
    assert len(coming) == 1
    assert "LegoChem" in coming[0]
    assert "Deal of the week: J&J and LegoChem on the Trop2 ADC LCB84" in _headings(reply)
    assert len(reply.sections) >= 3  # never a single paragraph


def test_subject_word_filter_matches_deal_fields(digest_store: KnowledgeStore) -> None:
    """A subject word like 'small molecule' keeps deals whose modalities mention it."""
    reply = compose_digest(digest_store, MONDAY, topics=["small molecule"])
    assert any("Servier" in t for t in _section(reply, "Deal reminders"))
    assert not any("LegoChem" in t for t in _section(reply, "Deal reminders"))


def test_when_everything_was_shown_it_says_so_briefly(digest_store: KnowledgeStore) -> None:
    """A channel that saw every trend, deal and quote this season gets a short 'nothing new'."""
    shown = dict.fromkeys(digest_store.entities, MONDAY - dt.timedelta(weeks=1))
    reply = compose_digest(digest_store, MONDAY, ChannelHistory(featured=shown))
    assert _headings(reply) == ["Deal reminders", "Nothing new in the knowledge"]
    assert "trends and deals and quotes" in (reply.sections[1].text or "")
    later = compose_digest(
        digest_store, MONDAY + dt.timedelta(weeks=12), ChannelHistory(featured=shown)
    )
    assert any(h.startswith("Trend of the week") for h in _headings(later))


def test_trend_rotates_when_one_was_featured(digest_store: KnowledgeStore) -> None:
    """The trend featured last week is not the trend of this week."""
    first = compose_digest(digest_store, MONDAY)
    trend_id = first.entity_ids[0]
    second = compose_digest(
        digest_store,
        MONDAY + dt.timedelta(weeks=1),
        ChannelHistory(featured={trend_id: MONDAY}),
    )
    assert second.entity_ids[0] != trend_id


def test_trend_figures_stay_on_the_point(store: KnowledgeStore) -> None:
    """The shipped execution trend never shows the EV-sales comparison as its figure."""
    for week in range(20):
        reply = compose_digest(store, MONDAY + dt.timedelta(weeks=week))
        for section in reply.sections:
            assert not any("electric vehicle" in f.label for f in section.facts)


def test_team_reminders_in_their_week_until_done(digest_store: KnowledgeStore) -> None:
    """A team follow-up shows in the digest of its week (and after, as overdue), never before."""
    due = dt.date(2026, 4, 15)
    team = (
        TeamReminder(
            1, "slack", "C1", "bayer-puhe-prmt5", "Bayer licenses Puhe", due, "IIT readout", "U1"
        ),
    )
    before = compose_digest(digest_store, dt.date(2026, 4, 6), ChannelHistory(team=team))
    week = compose_digest(digest_store, dt.date(2026, 4, 13), ChannelHistory(team=team))
    after = compose_digest(digest_store, dt.date(2026, 4, 27), ChannelHistory(team=team))
    assert not any("IIT readout" in t for t in _section(before, "Deal reminders"))
    line = next(i for i in _items(week, "Deal reminders") if "IIT readout" in i.title)
    assert line.title == "15 April 2026: Bayer licenses Puhe — IIT readout"
    assert line.action is not None
    assert line.action.command == "done 1"
    late = next(i for i in _items(after, "Deal reminders") if "IIT readout" in i.title)
    assert "overdue since 15 April 2026" in (late.subtitle or "")


def test_changes_since_last_digest(digest_store: KnowledgeStore) -> None:
    """New and changed entities since the channel's last digest are listed; unchanged ones are not."""
    entities = list(digest_store.entities.values())
    old_entities = [e for e in entities if e.id != "bayer-puhe-prmt5"]
    old_entities = [
        msgspec.structs.replace(e, text="An older wording.") if e.id == "wang-timing" else e
        for e in old_entities
    ]
    old = KnowledgeStore.build(old_entities, version="old")
    history = ChannelHistory(
        last_digest=MONDAY - dt.timedelta(weeks=1), fingerprints=fingerprints(old)
    )
    changes = _section(compose_digest(digest_store, MONDAY, history), "New or changed")
    assert sorted(changes) == [
        "New deal: Bayer licenses Puhe's PRMT5 inhibitor",
        "Updated quote: It's not always a sure win. You need the right timing, the right company, and...",
    ]
    first_digest = compose_digest(digest_store, MONDAY)
    assert _section(first_digest, "New or changed") == []


def test_changes_respect_the_topic_filter(digest_store: KnowledgeStore) -> None:
    """A new oncology deal is not listed for a channel that follows only ADC."""
    old = KnowledgeStore.build(
        [e for e in digest_store.entities.values() if not isinstance(e, Deal)], version="no-deals"
    )
    history = ChannelHistory(fingerprints=fingerprints(old))
    changes = _section(
        compose_digest(digest_store, MONDAY, history, topics=["adc"]), "New or changed"
    )
    assert changes == ["New deal: J&J and LegoChem on the Trop2 ADC LCB84"]


def test_lead_sections_come_first_and_news_replaces_the_changes(
    digest_store: KnowledgeStore,
) -> None:
    """A caller's 'what's new' and 'what you follow' head the digest; its news replaces ours."""
    from handlers.digest import DigestLead
    from handlers.reply import Section

    old = KnowledgeStore.build([])
    lead = DigestLead(
        news=Section(heading="What's new in the knowledge"),
        followed=Section(heading="What you follow"),
    )
    history = ChannelHistory(fingerprints=fingerprints(old))
    reply = compose_digest(digest_store, MONDAY, history, lead=lead)
    assert _headings(reply)[:2] == ["What's new in the knowledge", "What you follow"]
    assert not any(h.startswith("New or changed") for h in _headings(reply))


def _with_milestone(tmp_path: Path, milestone: str) -> Path:
    """Copy the digest test knowledge with the LegoChem milestone replaced by `milestone`."""
    text = (DATA / "knowledge.yaml").read_text(encoding="utf-8")
    old = "      - {date: 2026-04, label: phase 2 readout expected, kind: clinical}"
    assert old in text
    (tmp_path / "knowledge.yaml").write_text(text.replace(old, milestone), encoding="utf-8")
    return tmp_path


def test_quarter_window_shows_every_week_in_the_sources_words(tmp_path: Path) -> None:
    """'Expected Q3 2026' is listed in every weekly digest of July to September, then no more."""
    q3 = (
        "      - {date: {value: 2026-07, as_stated: expected Q3 2026}, until: 2026-09,"
        " label: phase 2 readout, kind: clinical}"
    )
    store = load_store(_with_milestone(tmp_path, q3))
    mondays = [dt.date(2026, 7, 6) + dt.timedelta(weeks=w) for w in range(13)]
    for monday in mondays:
        lines = _section(compose_digest(store, monday), "Deal reminders")
        assert "Expected Q3 2026: J&J and LegoChem on the Trop2 ADC LCB84 — phase 2 readout" in (
            lines
        ), monday
    after = _section(compose_digest(store, dt.date(2026, 10, 5)), "Deal reminders")
    assert not any("Q3 2026" in t for t in after)


def test_a_milestone_marked_done_is_no_longer_listed(tmp_path: Path) -> None:
    """A curator's `done: true` stops the reminders of an expected milestone."""
    done = (
        "      - {date: {value: 2026-07, as_stated: expected Q3 2026}, until: 2026-09,"
        " done: true, label: phase 2 readout, kind: clinical}"
    )
    store = load_store(_with_milestone(tmp_path, done))
    lines = _section(compose_digest(store, dt.date(2026, 8, 3)), "Deal reminders")
    assert not any("Q3 2026" in t for t in lines)


def test_a_window_ending_before_it_starts_names_file_and_line(tmp_path: Path) -> None:
    """`until` before `date` is refused with the file, the line and how to write it."""
    bad = "      - {date: 2026-07, until: 2026-06, label: phase 2 readout, kind: clinical}"
    with pytest.raises(KnowledgeError) as error:
        load_store(_with_milestone(tmp_path, bad))
    assert "knowledge.yaml:101" in str(error.value)
    assert "until 2026-06 is before the date 2026-07" in str(error.value)
