"""Follow commands and alert sections through the handlers, on the shipped knowledge."""

from __future__ import annotations

import pytest

from bot.digest.follows import SqlFollowBook
from handlers import AskContext, ReplyKind, StoreUnavailable, answer
from handlers.alerts import alert_reply, followed_section, whats_new_section
from handlers.changes import diff, entity_states
from handlers.context import Follow
from knowledge import KnowledgeStore, load_store


@pytest.fixture(scope="module")
def shipped() -> KnowledgeStore:
    """The knowledge the bot ships with."""
    return load_store()


@pytest.fixture
def ctx(follow_book: SqlFollowBook) -> AskContext:
    """A Slack channel with the database follow book lent."""
    return AskContext(platform="slack", user_id="U1", conversation_id="C1", follows=follow_book)


@pytest.mark.parametrize(
    ("command", "kind", "key"),
    [
        ("follow company Bayer", "organisation", "bayer"),
        ("follow company Byer", "organisation", "bayer"),  # a typo, read as Bayer
        ("follow asset PH020", "asset", "ph020"),
        ("follow modality ADC", "modality", "adc"),
        ("follow area oncology", "area", "oncology"),
        ("follow topic NewCo", "topic", "newco"),
        ("follow country Korea", "country", "korea"),
        ("follow deal Puhe", "deal", "bayer-puhe-ph020"),
        (
            "follow J&J",
            "organisation",
            "johnson-johnson",
        ),  # no kind: any entity the name resolves to
    ],
)
def test_follow_resolves_every_kind_the_knowledge_has(
    shipped: KnowledgeStore, ctx: AskContext, command: str, kind: str, key: str
) -> None:
    """Each kind resolves with the existing resolvers (fuzzy too) and is stored for the channel."""
    reply = answer(command, shipped, ctx)
    assert reply.kind == ReplyKind.FOLLOW, reply
    assert ctx.follows is not None
    assert [(f.kind, f.key) for f in ctx.follows.following("slack", "C1")] == [(kind, key)]


def test_following_twice_says_already(shipped: KnowledgeStore, ctx: AskContext) -> None:
    """Following the same thing again keeps one follow and says so."""
    answer("follow company Bayer", shipped, ctx)
    again = answer("follow Bayer", shipped, ctx)
    assert again.title == "Already following company Bayer"
    assert ctx.follows is not None
    assert len(ctx.follows.following("slack", "C1")) == 1


@pytest.mark.parametrize(
    "command",
    ["follow company Qwertyuiop", "follow modality teleportation", "follow country Atlantis"],
)
def test_names_the_knowledge_lacks_are_not_followed(
    shipped: KnowledgeStore, ctx: AskContext, command: str
) -> None:
    """An unknown name gets an honest 'not in the knowledge' and nothing is stored."""
    reply = answer(command, shipped, ctx)
    assert reply.kind == ReplyKind.NOT_FOUND
    assert "in the knowledge" in reply.title
    assert ctx.follows is not None
    assert ctx.follows.following("slack", "C1") == []
    ctx.conversation_id = "C-SUGGESTED"
    for suggestion in reply.suggestions:  # each a command that follows something real
        assert answer(suggestion, shipped, ctx).kind in {ReplyKind.FOLLOW, ReplyKind.CHOICE}


@pytest.mark.parametrize("command", ["follow", "follow company", "follow country  ", "unfollow"])
def test_a_missing_name_is_asked_for(
    shipped: KnowledgeStore, ctx: AskContext, command: str
) -> None:
    """A kind without a name (or nothing at all) asks for the name; nothing is followed."""
    reply = answer(command, shipped, ctx)
    assert reply.kind == ReplyKind.ERROR
    assert "e.g. `" in (reply.text or "")
    assert ctx.follows is not None
    assert ctx.follows.following("slack", "C1") == []


def test_unfollow_by_label_and_the_list(shipped: KnowledgeStore, ctx: AskContext) -> None:
    """`unfollow` takes the name as shown; `following` lists what is left with its alert choice."""
    answer("follow company Bayer", shipped, ctx)
    answer("follow modality ADC", shipped, ctx)
    assert answer("unfollow ADC", shipped, ctx).title == "Stopped following modality ADC"
    assert answer("unfollow ADC", shipped, ctx).title == "Not following “ADC”"
    listed = answer("following", shipped, ctx)
    assert [i.title for i in listed.items] == ["Bayer"]
    assert listed.items[0].action is not None
    assert listed.items[0].action.command == "unfollow company bayer"
    assert [(f.label, f.value) for f in listed.facts] == [("Alerts", "instant")]


def test_alerts_choice(shipped: KnowledgeStore, ctx: AskContext) -> None:
    """`alerts` shows the choice; `alerts: off` and `alerts digest` set it; nonsense is refused."""
    assert answer("alerts", shipped, ctx).title == "Alerts: instant"
    assert answer("alerts: off", shipped, ctx).title == "Alerts: off"
    assert answer("alerts digest", shipped, ctx).title == "Alerts: in digest"
    refused = answer("alerts hourly", shipped, ctx)
    assert refused.kind == ReplyKind.ERROR
    assert ctx.follows is not None
    assert ctx.follows.alert_mode("slack", "C1") == "in digest"


def test_without_a_database_following_is_not_available(shipped: KnowledgeStore) -> None:
    """The CLI lends no follow book: the answer says where following works."""
    reply = answer("follow company Bayer", shipped, AskContext(platform="cli"))
    assert reply.title == "Following is not available here"


class _DownBook:
    """A follow book whose database does not answer."""

    def __getattr__(self, _name: str) -> object:
        def down(*_args: object) -> object:
            raise StoreUnavailable("database timed out")

        return down


def test_an_outage_gets_the_friendly_answer(shipped: KnowledgeStore) -> None:
    """A database outage while following answers 'unavailable right now', not a traceback."""
    ctx = AskContext(platform="slack", conversation_id="C1", follows=_DownBook())  # type: ignore[arg-type]
    reply = answer("follow company Bayer", shipped, ctx)
    assert reply.text == "following is unavailable right now, try again in a minute"


def test_cards_offer_a_follow_button(shipped: KnowledgeStore) -> None:
    """Company, deal and topic cards carry a Follow button running `follow …`."""
    commands = {
        text: [a.command for a in answer(text, shipped).actions if a.label == "Follow"]
        for text in ("company Bayer", "deal Puhe", "explain the NewCo structure")
    }
    assert commands == {
        "company Bayer": ["follow company bayer"],
        "deal Puhe": ["follow deal bayer-puhe-ph020"],
        "explain the NewCo structure": ["follow topic newco"],
    }


def test_digest_sections_for_in_digest_channels(shipped: KnowledgeStore) -> None:
    """The two digest sections: everything new, and only what the channel follows."""
    states = entity_states(shipped)
    before = {k: v for k, v in states.items() if k != "bayer-puhe-ph020"}
    change = diff(before, states)
    new = whats_new_section(change, shipped)
    assert new is not None
    assert new.heading == "What's new in the knowledge"
    assert [i.title for i in new.items] == ["New deal: Bayer and Puhe Biopharma PH020 licence"]
    mine = followed_section(
        change, [Follow("modality", "smallmolecule", "small molecule")], shipped
    )
    assert mine is not None
    assert mine.heading == "What you follow"
    assert followed_section(change, [Follow("organisation", "servier", "Servier")], shipped) is None
    assert alert_reply(change, [Follow("country", "worldwide", "worldwide")], shipped) is not None


def test_a_deal_concerns_its_parties_their_groups_and_countries(shipped: KnowledgeStore) -> None:
    """A new deal reaches followers of a party, of its parent group and of a party's country."""
    states = entity_states(shipped)
    deal = next(
        s for s in states.values() if s.kind == "deal" and "organisation:legochem" in s.touches
    )
    change = diff({k: v for k, v in states.items() if k != deal.entity_id}, states)
    for follow in (
        Follow("organisation", "legochem", "LegoChem"),
        Follow("country", "korea", "Korea"),
    ):
        reply = alert_reply(change, [follow], shipped)
        assert reply is not None, follow
        assert reply.items[0].title.startswith("New deal: ")
    assert alert_reply(change, [Follow("country", "france", "France")], shipped) is None
    askbio = next(
        s for s in states.values() if s.kind == "deal" and "organisation:askbio" in s.touches
    )
    assert "organisation:bayer" in askbio.touches  # AskBio is part of Bayer
