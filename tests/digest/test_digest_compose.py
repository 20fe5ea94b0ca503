"""The digest's content: trend, quotes, reminders, anniversaries, changes, topic filters, fallback."""

from __future__ import annotations

import datetime as dt

import msgspec

from handlers.digest import ChannelHistory, compose_digest, fingerprints
from handlers.reply import Reply, ReplyKind
from knowledge import KnowledgeStore
from knowledge.models import Deal, Quote

MONDAY = dt.date(2026, 3, 30)


def _section(reply: Reply, heading: str) -> list[str]:
    """Return the item titles (or quote ids) of the section whose heading starts with `heading`."""
    for section in reply.sections:
        if section.heading.startswith(heading):
            return [i.title for i in section.items] + [q.quote_id for q in section.quotes]
    return []


def _headings(reply: Reply) -> list[str]:
    return [s.heading for s in reply.sections]


def test_digest_has_trend_quotes_and_reminders(digest_store: KnowledgeStore) -> None:
    """A plain digest holds a trend of the week, two quotes, reminders, and cites its source."""
    reply = compose_digest(digest_store, MONDAY)
    assert reply.kind is ReplyKind.DIGEST
    assert reply.title == "ChinaBio weekly digest — week of 30 March 2026"
    assert any(h.startswith("Trend of the week: ") for h in _headings(reply))
    assert len(_section(reply, "Quotes")) == 2
    assert [s.title for s in reply.sources] == ["ChinaBio Thought Leadership 2025"]
    quote = next(s for s in reply.sections if s.heading == "Quotes").quotes[0]
    assert quote.speaker in {"Irene Hong", "Cynthia Wang"}
    assert quote.source is not None


def test_reminders_cover_the_next_thirty_days_only(digest_store: KnowledgeStore) -> None:
    """Milestones and events within 30 days are listed soonest first; later ones are not."""
    coming = _section(compose_digest(digest_store, MONDAY), "Coming up")
    assert any(
        "10 April 2026: Servier acquires" in t and "transition payment due" in t for t in coming
    )
    assert any(t.startswith("22 April 2026: ChinaBio Partnering Forum 2026") for t in coming)
    assert any(t.startswith("April 2026: J&J and LegoChem") for t in coming)
    early = _section(compose_digest(digest_store, dt.date(2026, 3, 2)), "Coming up")
    assert not any("Servier" in t or "Forum" in t for t in early)  # 39 and 51 days away
    assert [t for t in coming if "April 2026:" in t][-1].startswith("22 April")  # soonest first
    assert _section(compose_digest(digest_store, dt.date(2026, 5, 1)), "Coming up") == []


def test_month_anniversary_at_month_precision(digest_store: KnowledgeStore) -> None:
    """A December 2023 deal is 'three years ago this month' in a December 2026 digest, not in November."""
    december = _section(compose_digest(digest_store, dt.date(2026, 12, 7)), "Anniversaries")
    assert (
        "Three years ago this month (December 2023): "
        "Servier acquires Greater China rights to Tibsovo from CStone" in december
    )
    assert _section(compose_digest(digest_store, dt.date(2026, 11, 30)), "Anniversaries") == []


def test_day_anniversary_falls_in_the_digest_week(digest_store: KnowledgeStore) -> None:
    """A deal dated 31 March 2024 is recalled in the week of 30 March 2026, not the week after."""
    this_week = _section(compose_digest(digest_store, MONDAY), "Anniversaries")
    assert this_week == [
        "Two years ago this week (31 March 2024): Bayer licenses Puhe's PRMT5 inhibitor"
    ]
    next_week = _section(compose_digest(digest_store, dt.date(2026, 4, 6)), "Anniversaries")
    assert next_week == []


def test_year_only_date_gives_no_anniversary(digest_store: KnowledgeStore) -> None:
    """The J&J–LegoChem deal, dated only '2023', is never an anniversary in any month."""
    for month in range(1, 13):
        items = _section(compose_digest(digest_store, dt.date(2026, month, 15)), "Anniversaries")
        assert not any("LegoChem" in t for t in items)


def test_topic_filter_narrows_every_section(digest_store: KnowledgeStore) -> None:
    """topics:ADC keeps only ADC quotes and reminders; the oncology event and deal drop out."""
    reply = compose_digest(digest_store, MONDAY, topics=["adc"])
    assert reply.text == "Topics: ADC."
    assert _section(reply, "Quotes") == ["hong-perceptions"]
    coming = _section(reply, "Coming up")
    assert len(coming) == 1
    assert "LegoChem" in coming[0]
    assert not any(h.startswith("Trend of the week") for h in _headings(reply))


def test_subject_word_filter_matches_deal_fields(digest_store: KnowledgeStore) -> None:
    """A subject word like 'small molecule' keeps deals whose modalities mention it."""
    reply = compose_digest(digest_store, MONDAY, topics=["small molecule"])
    assert any("Servier" in t for t in _section(reply, "Coming up"))
    assert not any("LegoChem" in t for t in _section(reply, "Coming up"))


def test_digest_is_never_empty(digest_store: KnowledgeStore) -> None:
    """A topic with nothing on it still gets content from the wider store, and says so."""
    reply = compose_digest(digest_store, dt.date(2026, 6, 1), topics=["gene-therapy"])
    assert _headings(reply) == ["Figures to know"]
    assert "Nothing new on Gene therapy this week" in (reply.sections[0].text or "")
    assert reply.sections[0].facts[0].value == "one-third"


def test_empty_store_still_gives_a_digest() -> None:
    """Even an empty knowledge store yields a digest with one explanatory section."""
    reply = compose_digest(KnowledgeStore.build([]), MONDAY)
    assert _headings(reply) == ["Nothing to report"]


def test_quotes_rotate_week_to_week(digest_store: KnowledgeStore) -> None:
    """A channel gets no quote it had in recent weeks; when all were used, the oldest come back."""
    featured: dict[str, dt.date] = {}
    weeks: list[list[str]] = []
    for week in range(3):
        day = MONDAY + dt.timedelta(weeks=week)
        quotes = _section(
            compose_digest(digest_store, day, ChannelHistory(featured=featured)), "Quotes"
        )
        weeks.append(quotes)
        featured.update(dict.fromkeys(quotes, day))
    assert len(weeks[0]) == 2
    assert len(weeks[1]) == 2
    assert not set(weeks[0]) & set(weeks[1])
    all_quotes = {q.id for q in digest_store.all(Quote)}
    fifth = all_quotes - set(weeks[0]) - set(weeks[1])
    assert fifth <= set(weeks[2])  # the one never shown comes first
    assert set(weeks[2]) - fifth <= set(weeks[0])  # then the least recently shown


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
