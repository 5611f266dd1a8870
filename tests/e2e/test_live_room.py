"""Live rooms in real browsers: headless Chromium against a real Daphne and Redis.

An attendee asks, a moderator approves and highlights, and the attendee's page and the
projector show it live; two people chat; a dropped connection heals by itself (replayed,
or resynced); a poll runs from draft to closed; earlier chat loads on request; a tab
replaced by newer ones says so."""

from urllib.parse import quote

import pytest
import redis
from playwright.sync_api import expect

from chat.models import Message, Question
from realtime import broadcast
from tests.fixtures.ws import session_cookie
from tests.rooms.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.live]

QUESTION = "How do clusters reach SMEs outside the capitals?"


@pytest.fixture
def world(transactional_db):
    return World()


def browser_of(page_in, base_url: str, user, zone: str = "Europe/Prague"):
    """A page in a fresh browser context, logged in as `user` (a real session cookie)."""
    page = page_in(zone)
    name, value = session_cookie(user).split("=", 1)
    page.context.add_cookies([
        {"name": name, "value": value, "url": base_url},
        {"name": "tz", "value": quote(zone, safe=""), "url": base_url},  # as timezone.js sets it
    ])
    return page


def open_room(page, base_url: str, room_id: int, view: str = ""):
    page.goto(f"{base_url}/rooms/{room_id}/{view + '/' if view else ''}")
    # The page has joined the room over the websocket and drawn its state.
    expect(page.locator("body")).to_have_attribute("data-room-ready", "true")
    return page


def test_question_asked_approved_and_highlighted_appears_live_for_attendee_and_projector(
        world, live_server_url, page_in):
    attendee = open_room(browser_of(page_in, live_server_url, world.online), live_server_url, world.room.pk)
    moderator = open_room(browser_of(page_in, live_server_url, world.moderator), live_server_url, world.room.pk,
                          "moderate")
    projector = open_room(moderator.context.new_page(), live_server_url, world.room.pk, "projector")

    attendee.get_by_label("Your question").fill(QUESTION)
    attendee.get_by_role("button", name="Ask", exact=True).click()
    # Pre-moderated: the asker sees it waiting; nobody else sees it yet.
    expect(attendee.locator("[data-mine-list]")).to_contain_text(QUESTION)
    expect(attendee.locator("[data-qa-list]")).not_to_contain_text(QUESTION)
    expect(projector.locator("[data-top-empty]")).to_be_visible()

    queue = moderator.locator("[data-queue-list]")
    expect(queue).to_contain_text(QUESTION)
    expect(queue).to_contain_text("Olivia Online")
    expect(moderator.locator("[data-queue-count]")).to_have_text("1")
    queue.get_by_role("button", name="Approve").click()
    expect(queue).not_to_contain_text(QUESTION)
    expect(moderator.locator("[data-queue-count]")).to_have_text("0")

    # Approved: in the attendee's list (no longer waiting) and on the projector, live.
    public = attendee.locator("[data-qa-list]")
    expect(public).to_contain_text(QUESTION)
    expect(attendee.locator("[data-mine]")).to_be_hidden()
    expect(projector.locator("[data-top-list]")).to_contain_text(QUESTION)

    # A vote shows up on the projector.
    public.get_by_role("button", name="Upvote").click()
    expect(public.get_by_role("button", name="Remove your vote")).to_have_attribute("aria-pressed", "true")
    expect(projector.locator("[data-top-list] li", has_text=QUESTION)).to_contain_text("▲ 1")

    moderator.locator("#live-questions [data-qa-list]").get_by_role("button", name="Highlight").click()
    expect(attendee.locator("[data-highlight]")).to_be_visible()
    expect(attendee.locator("[data-highlight]")).to_contain_text(QUESTION)
    expect(projector.locator(".projector-highlight .q-text")).to_have_text(QUESTION)
    expect(projector.locator(".projector-highlight")).to_contain_text("Olivia Online")

    question = Question.objects.get(text=QUESTION)
    assert question.status == "visible" and question.highlighted and question.votes == 1

    # Marked answered: it leaves the screen and the attendee's open questions.
    moderator.locator("#live-questions [data-qa-list]").get_by_role("button", name="Mark answered").click()
    expect(projector.locator(".projector-highlight")).to_contain_text("Ask your questions")
    expect(public).not_to_contain_text(QUESTION)
    attendee.get_by_role("button", name="Answered").click()
    expect(public).to_contain_text(QUESTION)


def test_chat_between_two_browsers_shows_text_as_typed_and_links_safely(world, live_server_url, page_in):
    olivia = open_room(browser_of(page_in, live_server_url, world.online), live_server_url, world.room.pk)
    ivan = open_room(browser_of(page_in, live_server_url, world.onsite, "America/New_York"), live_server_url,
                     world.room.pk)
    # Presence is counted by attendance mode.
    expect(olivia.locator("[data-presence]")).to_contain_text("1 in the hall · 1 online")

    olivia.get_by_role("textbox", name="Message").fill("Hello from Prague! Slides: https://example.org/slides.")
    olivia.get_by_role("textbox", name="Message").press("Enter")
    messages = ivan.locator("[data-chat-list]")
    expect(messages).to_contain_text("Hello from Prague!")
    expect(messages.locator(".msg-author").last).to_have_text("Olivia Online")
    link = messages.get_by_role("link", name="https://example.org/slides")
    expect(link).to_have_attribute("href", "https://example.org/slides")  # the full stop is not part of it
    expect(link).to_have_attribute("rel", "noopener nofollow ugc")
    expect(link).to_have_attribute("target", "_blank")
    expect(olivia.get_by_role("textbox", name="Message")).to_have_value("")

    attack = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> <b>bold?</b>'
    ivan.get_by_role("textbox", name="Message").fill(attack)
    ivan.get_by_role("button", name="Send").click()
    seen = olivia.locator("[data-chat-list] .msg-text").last
    expect(seen).to_have_text(attack)  # literal text
    assert olivia.locator("[data-chat-list] script, [data-chat-list] img, [data-chat-list] b").count() == 0
    assert olivia.evaluate("window.pwned") is None

    # Ivan deletes his message: it disappears for Olivia too.
    ivan.locator("[data-chat-list] .msg", has_text="bold?").get_by_role("button", name="Delete your message").click()
    expect(olivia.locator("[data-chat-list]")).not_to_contain_text("bold?")
    assert Message.objects.filter(text=attack, deleted_at__isnull=False).exists()

    # Errors come back inline with the server's message (the textarea's own limit lifted).
    olivia.get_by_role("textbox", name="Message").evaluate("el => el.removeAttribute('maxlength')")
    olivia.get_by_role("textbox", name="Message").fill("x" * 1001)
    olivia.get_by_role("button", name="Send").click()
    expect(olivia.locator("#chat [data-chat-error]")).to_contain_text("at most 1000 characters")


@pytest.mark.parametrize("log_lost", [False, True], ids=["replayed", "resync"])
def test_client_reconnects_by_itself_and_gets_what_it_missed(world, live_server_url, page_in, redis_url, log_lost):
    """Replayed from the room's log; or, when the log no longer has it (`log_lost`), the
    server says "resync" and the page reloads the room's state, without reloading itself."""
    ivan = open_room(browser_of(page_in, live_server_url, world.onsite), live_server_url, world.room.pk)
    ivan.get_by_role("textbox", name="Message").fill("Before Olivia arrived")
    ivan.get_by_role("textbox", name="Message").press("Enter")
    expect(ivan.locator("[data-chat-list]")).to_contain_text("Before Olivia arrived")

    olivia = open_room(browser_of(page_in, live_server_url, world.online), live_server_url, world.room.pk)
    expect(olivia.locator("[data-chat-list]")).to_contain_text("Before Olivia arrived")
    olivia.evaluate("window.__stillTheSamePage = true")

    # The connection drops and, while Olivia's network is away, Ivan writes.
    olivia.context.set_offline(True)
    olivia.evaluate("window.__roomClient.socket.close()")
    expect(olivia.locator("#connection")).to_contain_text("Reconnecting")
    ivan.get_by_role("textbox", name="Message").fill("Did you see the last slide?")
    ivan.get_by_role("textbox", name="Message").press("Enter")
    expect(ivan.locator("[data-chat-list]")).to_contain_text("Did you see the last slide?")
    expect(olivia.locator("#connection")).to_contain_text("Reconnecting")
    expect(olivia.locator("[data-chat-list]")).not_to_contain_text("Did you see the last slide?")
    if log_lost:
        redis.Redis.from_url(redis_url).delete(broadcast.log_key(world.room.pk))

    # Back online: the client reconnects, rejoins, and the missed message appears once.
    olivia.context.set_offline(False)
    expect(olivia.locator("#connection")).to_have_attribute("data-connection", "open")
    expect(olivia.locator("[data-chat-list]")).to_contain_text("Did you see the last slide?")
    expect(olivia.locator("[data-chat-list] .msg", has_text="Did you see the last slide?")).to_have_count(1)
    expect(olivia.locator("[data-chat-list] .msg", has_text="Before Olivia arrived")).to_have_count(1)
    assert olivia.evaluate("window.__stillTheSamePage") is True  # no reload

    # And the connection works both ways again.
    olivia.get_by_role("textbox", name="Message").fill("Yes, back now")
    olivia.get_by_role("textbox", name="Message").press("Enter")
    expect(ivan.locator("[data-chat-list]")).to_contain_text("Yes, back now")


def test_moderator_runs_a_poll_and_results_show_live(world, live_server_url, page_in):
    moderator = open_room(browser_of(page_in, live_server_url, world.moderator), live_server_url, world.room.pk,
                          "moderate")
    attendee = open_room(browser_of(page_in, live_server_url, world.online), live_server_url, world.room.pk)
    expect(attendee.locator("[data-polls-empty]")).to_be_visible()

    moderator.get_by_text("New poll").click()
    moderator.get_by_label("Question", exact=True).fill("Which cluster service matters most?")
    moderator.get_by_label("Answers, one per line").fill("Matchmaking\nFunding\nSkills")
    moderator.get_by_role("button", name="Create draft").click()
    draft = moderator.locator("#polls article.poll.draft")
    expect(draft).to_contain_text("Which cluster service matters most?")
    expect(attendee.locator("[data-polls-list]")).not_to_contain_text("Which cluster")  # drafts stay private
    draft.get_by_role("button", name="Open the poll").click()

    poll = attendee.locator("[data-polls-list] article.poll")
    expect(poll).to_contain_text("Which cluster service matters most?")
    poll.get_by_role("radio", name="Funding").check()
    poll.get_by_role("button", name="Vote").click()
    expect(poll).to_contain_text("Your vote is counted")
    expect(poll.get_by_role("img", name="Funding: 1 vote, 100%")).to_be_visible()
    expect(poll).to_contain_text("1 participant")
    expect(moderator.locator("#polls article.poll.open")).to_contain_text("1 participant")

    # A changed vote replaces the first one.
    poll.get_by_role("radio", name="Skills").check()
    poll.get_by_role("button", name="Change my vote").click()
    expect(poll.get_by_role("img", name="Skills: 1 vote, 100%")).to_be_visible()
    running = moderator.locator("#polls article.poll.open")
    expect(running.get_by_role("img", name="Funding: 0 votes, 0%")).to_be_visible()

    running.get_by_role("button", name="Close the poll").click()
    expect(poll.locator(".poll-status")).to_contain_text("Closed")
    expect(poll.get_by_role("button", name="Change my vote")).to_have_count(0)


def test_chat_history_loads_earlier_messages_on_request(world, live_server_url, page_in):
    for n in range(1, 61):
        Message.objects.create(room=world.room, author=world.onsite, text=f"Message number {n}")
    page = open_room(browser_of(page_in, live_server_url, world.online), live_server_url, world.room.pk)
    messages = page.locator("[data-chat-list] .msg")
    expect(messages).to_have_count(50)
    expect(messages.first).to_contain_text("Message number 11")
    expect(messages.last).to_contain_text("Message number 60")
    page.get_by_role("button", name="Load earlier messages").click()
    expect(messages).to_have_count(60)
    expect(messages.first).to_contain_text("Message number 1")
    expect(page.get_by_role("button", name="Load earlier messages")).to_be_hidden()


def test_oldest_tab_is_told_it_was_replaced_when_too_many_are_open(world, live_server_url, page_in):
    first = browser_of(page_in, live_server_url, world.online)
    sockets = []
    first.on("websocket", lambda socket: sockets.append(socket))
    open_room(first, live_server_url, world.room.pk)
    # One socket per tab, shared with the header's notification badge: five tabs fit.
    assert [socket.url for socket in sockets] == [live_server_url.replace("http", "ws", 1) + "/ws/"]
    for _ in range(4):
        open_room(first.context.new_page(), live_server_url, world.room.pk)
    assert first.evaluate("window.__roomClient.status") == "open"
    # The limit is 5 connections per person (ROOMS_MAX_CONNECTIONS_PER_USER): a sixth tab
    # replaces the oldest, which says so and stays disconnected instead of fighting back.
    open_room(first.context.new_page(), live_server_url, world.room.pk)
    status = first.locator("#connection")
    expect(status).to_have_attribute("data-connection", "replaced")
    expect(status).to_contain_text("open in too many of your tabs")
    expect(status.get_by_role("button", name="Reload")).to_be_visible()
    first.get_by_role("textbox", name="Message").fill("Anyone there?")
    first.get_by_role("button", name="Send").click()
    expect(first.locator("#chat [data-chat-error]")).to_contain_text("Reload the page")


def test_moderator_pauses_announces_and_mutes_and_the_attendee_sees_it(world, live_server_url, page_in):
    attendee = open_room(browser_of(page_in, live_server_url, world.online), live_server_url, world.room.pk)
    moderator = open_room(browser_of(page_in, live_server_url, world.moderator), live_server_url, world.room.pk,
                          "moderate")
    message_box = attendee.get_by_role("textbox", name="Message")

    moderator.get_by_role("button", name="Pause").click()
    expect(attendee.locator("#room-banner")).to_have_text("The room is paused: chat and questions are closed for now.")
    expect(message_box).to_be_disabled()
    expect(attendee.get_by_label("Your question")).to_be_disabled()

    moderator.get_by_label("Announcement to everyone in the room").fill("We resume in 5 minutes.")
    moderator.get_by_role("button", name="Announce").click()
    expect(attendee.locator("#announcements")).to_contain_text("We resume in 5 minutes.")

    moderator.get_by_role("button", name="Open", exact=True).click()
    expect(attendee.locator("#room-banner")).to_be_hidden()
    expect(message_box).to_be_enabled()
    message_box.fill("Buy cheap watches at http://spam.example")
    message_box.press("Enter")

    spam = moderator.locator("#chat .msg", has_text="cheap watches")
    spam.get_by_text("Mute Olivia Online…").click()
    spam.get_by_label("Minutes").fill("15")
    spam.get_by_role("button", name="Mute", exact=True).click()
    expect(spam).to_contain_text("Olivia Online is muted for 15 min.")
    expect(attendee.locator("#chat [data-chat-note]")).to_contain_text("A moderator muted you")
    expect(message_box).to_be_disabled()

    spam.get_by_role("button", name="Unmute").click()
    expect(spam).to_contain_text("Olivia Online may chat again.")
    expect(message_box).to_be_enabled()

    spam.get_by_role("button", name="Delete").click()
    expect(attendee.locator("[data-chat-list]")).not_to_contain_text("cheap watches")
    expect(moderator.locator("#chat [data-chat-list]")).not_to_contain_text("cheap watches")
