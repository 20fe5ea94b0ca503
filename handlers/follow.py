"""`follow`, `unfollow`, `following` and `alerts`: parse the command, then ask the bot's follow book."""

from __future__ import annotations

from handlers.context import ALERT_MODES, AskContext, Follow, FollowBook, StoreUnavailable
from handlers.follow_targets import KIND_WORDS, Target, kind_label, resolve_target
from handlers.outage import unavailable_reply as outage_reply
from handlers.parse import shorten
from handlers.reply import Action, ActionKind, Fact, ListItem, Reply, ReplyKind
from knowledge import KnowledgeStore, normalise

FOLLOW_WORDS = ("follow", "unfollow", "following", "alerts")
EXAMPLES = ("follow company Bayer", "follow modality ADC", "follow topic NewCo")
_KINDS_TEXT = "company, asset, deal, topic, person, event, modality, area or country"


def handle_follow_command(text: str, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `follow …`, `unfollow …`, `following` or `alerts …` for the asking conversation."""
    word, _, rest = text.strip().partition(" ")
    word = word.casefold().rstrip(":")
    book = ctx.follows
    if book is None:
        return _reply(
            "Following is not available here",
            "Follow things from a Slack or Teams channel (or a direct message with the bot).",
        )
    try:
        if word == "following":
            return following_reply(book, ctx, store)
        if word == "alerts":
            return _alerts(book, ctx, rest)
        if word == "unfollow":
            return _unfollow(book, ctx, store, rest)
        return _follow(book, ctx, store, rest)
    except StoreUnavailable:
        return unavailable_reply()


def unavailable_reply() -> Reply:
    """Return what a follow command answers while the database does not."""
    return outage_reply("Following unavailable", "following is", "following")


def _split(rest: str) -> tuple[str | None, str]:
    """Return (kind, name) from 'company Bayer'; kind None when the first word names no kind."""
    first, _, name = rest.strip().partition(" ")
    kind = KIND_WORDS.get(first.casefold().rstrip(":"))
    if kind is not None:
        return kind, name.strip()  # "follow company" alone: the name is missing
    return None, rest.strip()


def _follow(book: FollowBook, ctx: AskContext, store: KnowledgeStore, rest: str) -> Reply:
    kind, name = _split(rest)
    if not name:
        what = f"which {kind_label(kind)}" if kind else "what"
        return _error(
            f"Say {what} to follow: a kind and a name, e.g. `follow company Bayer`.", "follow"
        )
    target = resolve_target(kind, name, store)
    if target.follow is None:
        return _unresolved(target, kind, name, "follow")
    added = book.follow(
        ctx.platform, ctx.conversation_id, ctx.user_id, target.follow, ctx.workspace
    )
    what = f"{kind_label(target.follow.kind)} {target.follow.label}"
    note = f"(“{shorten(name)}” read as {target.follow.label}.) " if target.corrected_from else ""
    mode = book.alert_mode(ctx.platform, ctx.conversation_id)
    if not added:
        return _reply(f"Already following {what}", f"{note}{_mode_text(mode)}", "following")
    return _reply(f"Following {what}", f"{note}{_mode_text(mode)}", "following")


def _unfollow(book: FollowBook, ctx: AskContext, store: KnowledgeStore, rest: str) -> Reply:
    kind, name = _split(rest)
    if not name:
        return _error("Say what to stop following, e.g. `unfollow company Bayer`.", "following")
    current = book.following(ctx.platform, ctx.conversation_id)
    found = _among(current, kind, name)
    if found is None:
        target = resolve_target(kind, name, store)
        found = target.follow
    if found is None or not book.unfollow(ctx.platform, ctx.conversation_id, found.kind, found.key):
        return _reply(
            f"Not following “{shorten(name)}”",
            "Nothing to remove. Type `following` to see what this conversation follows.",
            "following",
        )
    return _reply(f"Stopped following {kind_label(found.kind)} {found.label}", None, "following")


def _among(follows: list[Follow], kind: str | None, name: str) -> Follow | None:
    """Return the follow `name` names (its key or label), of `kind` when given."""
    key = normalise(name)
    for follow in follows:
        if kind is not None and follow.kind != kind:
            continue
        if key in (normalise(follow.key), normalise(follow.label)):
            return follow
    return None


def following_reply(book: FollowBook, ctx: AskContext, store: KnowledgeStore) -> Reply:
    """Return what the conversation follows, with an Unfollow button each, and its alert choice."""
    del store
    follows = book.following(ctx.platform, ctx.conversation_id)
    mode = book.alert_mode(ctx.platform, ctx.conversation_id)
    if not follows:
        return _reply(
            "This conversation follows nothing yet",
            "Follow a company, asset, deal, topic, modality, area or country to hear when the "
            f"knowledge about it changes, e.g. `{EXAMPLES[0]}` or `{EXAMPLES[1]}`.",
            *EXAMPLES,
        )
    items = [
        ListItem(
            title=f.label,
            subtitle=kind_label(f.kind),
            action=Action(
                kind=ActionKind.RUN, label="Unfollow", command=f"unfollow {_kind_word(f)} {f.key}"
            ),
        )
        for f in follows
    ]
    return Reply(
        kind=ReplyKind.FOLLOW,
        title=f"This conversation follows {len(follows)} thing{'s' if len(follows) != 1 else ''}",
        text=_mode_text(mode),
        facts=[Fact(label="Alerts", value=mode)],
        items=items,
        suggestions=[f"alerts {m}" for m in ALERT_MODES if m != mode],
        shareable=False,
    )


def _kind_word(follow: Follow) -> str:
    return "company" if follow.kind == "organisation" else follow.kind


def _command_word(kind: str | None) -> str:
    """Return the kind as typed in a command, with a space ('company '), or '' for any kind."""
    return "" if kind is None else ("company " if kind == "organisation" else f"{kind} ")


def _alerts(book: FollowBook, ctx: AskContext, rest: str) -> Reply:
    wanted = " ".join(rest.replace(":", " ").split()).casefold()
    wanted = {"digest": "in digest", "in-digest": "in digest", "none": "off"}.get(wanted, wanted)
    if not wanted:
        mode = book.alert_mode(ctx.platform, ctx.conversation_id)
        return _reply(f"Alerts: {mode}", _mode_text(mode), *(f"alerts {m}" for m in ALERT_MODES))
    if wanted not in ALERT_MODES:
        return _error(
            f"Alerts can be {', '.join(ALERT_MODES)}, e.g. `alerts instant`; not “{shorten(rest)}”.",
            "alerts instant",
            title="Alerts not changed",
        )
    book.set_alert_mode(ctx.platform, ctx.conversation_id, wanted)
    return _reply(f"Alerts: {wanted}", _mode_text(wanted), "following")


def _mode_text(mode: str) -> str:
    if mode == "off":
        return "Alerts are off: type `alerts instant` to hear of changes as they happen."
    if mode == "in digest":
        return "Changes to what this conversation follows appear in its weekly digest."
    return "When the knowledge about it changes, this conversation gets one message."


def _unresolved(target: Target, kind: str | None, name: str, verb: str) -> Reply:
    if target.choices:
        return Reply(
            kind=ReplyKind.CHOICE,
            title=f"{len(target.choices)} things match “{shorten(name)}”",
            text="Which one do you want to follow?",
            items=[
                ListItem(
                    title=f.label,
                    subtitle=kind_label(f.kind),
                    action=Action(
                        kind=ActionKind.RUN,
                        label="Follow",
                        command=f"{verb} {_kind_word(f)} {f.key}",
                    ),
                )
                for f in target.choices[:8]
            ],
            shareable=False,
        )
    what = f"{kind_label(kind)} " if kind else ""
    hint = f" Did you mean {' or '.join(target.suggestions[:3])}?" if target.suggestions else ""
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=f"No {what}“{shorten(name)}” in the knowledge",
        text=f"I can only follow what the knowledge has.{hint} Kinds: {_KINDS_TEXT}.",
        suggestions=[f"{verb} {_command_word(kind)}{s}" for s in target.suggestions[:3]]
        or list(EXAMPLES),
        shareable=False,
    )


def _reply(title: str, text: str | None, *suggestions: str) -> Reply:
    return Reply(
        kind=ReplyKind.FOLLOW,
        title=title,
        text=text,
        suggestions=list(suggestions),
        shareable=False,
    )


def _error(message: str, suggestion: str, title: str = "Nothing followed") -> Reply:
    return Reply(
        kind=ReplyKind.ERROR,
        title=title,
        text=message,
        suggestions=[suggestion, *EXAMPLES[:2]],
        shareable=False,
    )
