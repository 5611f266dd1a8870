"""What a person wrote and voted in live rooms (a section of people.personal_data).

On deletion, the text of their messages and questions is erased (chat.services and chat.qa
tell open rooms); the rows stay so that messages and questions per room stay counted, and
their votes on questions and polls stay counted."""

from people import personal_data
from people.personal_data import moment

from . import qa, services
from .models import Message, Mute, Poll, PollVote, Question, QuestionVote


def _room(room) -> str:
    return f"{room.name} ({room.edition.title})"


def export(user) -> dict:
    return {
        "messages": [
            {"room": _room(m.room), "text": m.text, "at": moment(m.created_at), "deleted_at": moment(m.deleted_at)}
            for m in Message.objects.filter(author=user).select_related("room__edition").order_by("pk")],
        "questions": [
            {"room": _room(q.room), "text": q.text, "as_asked": q.original_text or q.text, "anonymous": q.anonymous,
             "status": q.status, "votes": q.votes, "at": moment(q.created_at)}
            for q in Question.objects.filter(author=user).select_related("room__edition").order_by("pk")],
        "question_votes": [
            {"room": _room(v.question.room), "question_id": v.question_id, "at": moment(v.created_at)}
            for v in QuestionVote.objects.filter(user=user).select_related("question__room__edition")],
        "poll_votes": [
            {"room": _room(v.poll.room), "poll": v.poll.question, "option": v.option.text, "at": moment(v.created_at)}
            for v in PollVote.objects.filter(user=user).select_related("poll__room__edition", "option")],
        "polls_created": [
            {"room": _room(p.room), "poll": p.question, "at": moment(p.created_at)}
            for p in Poll.objects.filter(created_by=user).select_related("room__edition")],
        "mutes": [
            {"room": m.room.name if m.room else None, "edition": m.edition.title, "reason": m.reason,
             "until": moment(m.until), "at": moment(m.created_at), "lifted_at": moment(m.lifted_at)}
            for m in Mute.objects.filter(user=user).select_related("room", "edition")],
    }


def erase(user) -> None:
    services.erase_messages_of(user.pk)
    qa.withdraw_questions_of(user.pk)


def register() -> None:
    personal_data.register("live_rooms", models=[Message, Mute, Question, QuestionVote, Poll, PollVote],
                           export=export, erase=erase, order=10)
