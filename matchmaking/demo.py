"""Demo matchmaking event, built through the same services as in production: the organiser sets
it up, registered demo people join with generated (fictional) profiles, offers and requests,
ask each other for meetings, accept or decline, and the organiser's scheduler places the
accepted requests that did not get a slot. Called by demo.builder for the demo edition."""

import datetime as dt
import random

from django.contrib.auth.models import User

from programme.models import Session

from . import organiser, services
from .availability import Break
from .models import MatchmakingEvent, Participant, Sector

# (direction, category, title, tags): what clusters typically bring to a B2B matchmaking.
LISTINGS = (
    ("offer", "expertise", "Testing and certification of hydrogen components", "hydrogen, testing"),
    ("offer", "product", "Recycled carbon fibre for lightweight parts", "composites, circular economy"),
    ("offer", "partnership", "Partner for a Horizon Europe proposal on smart textiles", "horizon europe, textiles"),
    ("offer", "expertise", "Digital twins for small manufacturers", "digital twin, industry 4.0"),
    ("offer", "product", "Battery management systems for e-bikes", "batteries, mobility"),
    ("offer", "investment", "Seed fund for agri-food start-ups", "agri-food, venture capital"),
    ("request", "partnership", "Distributors for plant-based food in Central Europe", "agri-food, distribution"),
    ("request", "expertise", "Cybersecurity audit for connected medical devices", "health, cybersecurity"),
    ("request", "product", "Low-carbon cement supplier", "construction, decarbonisation"),
    ("request", "investment", "Investors for a 3D-printing scale-up", "additive manufacturing"),
    ("request", "partnership", "Cluster partners for a Eurocluster on tourism data", "tourism, data"),
    ("request", "expertise", "Life-cycle assessment of packaging", "packaging, lca"),
)
NETWORKS = ("Example Cluster Network (demo)", "Demo Industry Alliance", "Beispiel Netzwerk (demo)", "")


# A kind of business per sector, so that demo organisations have telling, distinct names.
BUSINESS = {
    "aerospace": "Aero Parts", "agri_food": "Foods", "construction": "Build", "creative": "Studio",
    "digital": "Software", "electronics": "Electronics", "energy_intensive": "Steel", "renewables": "Solar",
    "health": "MedTech", "mobility": "Mobility", "social_economy": "Cooperative", "retail": "Retail",
    "textile": "Textiles", "tourism": "Travel",
}


def _profile(rng: random.Random, user: User, taken: set[str]) -> dict:
    sector = rng.choice(Sector.values)
    family = user.profile.name.split()[1] if len(user.profile.name.split()) > 1 else "Example"
    organisation = f"{family} {BUSINESS[sector]} (demo)"
    if organisation in taken:
        organisation = f"{family} {BUSINESS[sector]} {len(taken)} (demo)"
    taken.add(organisation)
    return {
        "organisation": organisation,
        "sector": sector,
        "cluster": rng.choice(NETWORKS),
        "description": f"Fictional {Sector(sector).label.lower()} organisation of the demo; "
                       f"looking for partners along the supply chain.",
    }


def build_demo_event(actor: User, session: Session, people: list[User], *, seed: int = 2022) -> MatchmakingEvent:
    """A matchmaking event in booking phase with a coffee break, profiles, offers and requests in
    every state: scheduled (with tables on site, video links online), pending, declined, and
    accepted ones that the organiser's scheduler then placed."""
    rng = random.Random(seed)
    event = organiser.configure_event(actor, session, meeting_minutes=30, tables=6)
    local_start = session.starts_at.astimezone(session.edition.tz)
    coffee = (local_start + dt.timedelta(minutes=90)).time()
    organiser.generate_slots(actor, event, [Break(coffee, (local_start + dt.timedelta(minutes=120)).time(),
                                                  "Coffee break")])
    participants: list[Participant] = []
    names: set[str] = set()
    for user in people:
        participants.append(services.join(user, event, **_profile(rng, user, names)))
        for direction, category, title, tags in rng.sample(LISTINGS, 2):
            services.add_listing(user, event, direction=direction, category=category, title=title, tags=tags)
    event = organiser.set_phase(actor, event, MatchmakingEvent.Phase.BOOKING_OPEN)

    # The first two people are the demo's on-site and online attendees: they get meetings of each kind.
    first, second, others = participants[0], participants[1], participants[2:]
    asks = [(first, p) for p in others[:3]] + [(p, second) for p in others[3:6]] + [(second, first)]
    pairs = {frozenset((a.pk, b.pk)) for a, b in asks}
    while len(asks) < len(participants) * 2:
        a, b = rng.sample(others, 2)
        if frozenset((a.pk, b.pk)) not in pairs:
            pairs.add(frozenset((a.pk, b.pk)))
            asks.append((a, b))
    for number, (a, b) in enumerate(asks):
        request = services.request_meeting(a.user, event, b.pk, note="Let's talk about working together.")
        answer = number % 6
        if number < 7 or answer in (0, 1, 2):
            services.accept(b.user, event, request.pk, note="Happy to meet.")
        elif answer == 3:
            services.decline(b.user, event, request.pk, note="Not our field, sorry.")
        # otherwise it stays pending, holding its slot until booking closes
    organiser.schedule_accepted(actor, event)
    return event
