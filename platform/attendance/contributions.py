"""What attendance adds to the programme's pages and API (registered in AttendanceConfig.ready):
the viewer's registration, agenda and place in a side event."""

from . import services


def edition_page(request, edition) -> dict:
    return {"registration": services.registration_of(request.user, edition)}


def programme_page(request, edition) -> dict:
    return {"bookmarked": services.bookmarked_ids(request.user, edition)}


def session_page(request, session) -> dict:
    enrolment = services.enrolment_of(request.user, session)
    return {
        "registration": services.registration_of(request.user, session.edition),
        "bookmarked": session.pk in services.bookmarked_ids(request.user, session.edition),
        "enrolment": enrolment,
        "waiting_position": services.waiting_position(enrolment) if enrolment else None,
        "seats_left": services.seats_left(session),
        # Why the Enrol button would be refused (shown on the page instead of the button).
        "enrol_refusal": None if enrolment else services.enrolment_refusal(request.user, session),
    }


def session_facts(session) -> dict:
    return {"seats_left": services.seats_left(session)}
