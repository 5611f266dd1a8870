from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = "B2B matchmaking"

    def ready(self) -> None:
        from attendance.agenda import contribute
        from attendance.calendar import contribute_to_feed

        from . import personal_data
        from .calendar import agenda_entries, meeting_events

        contribute_to_feed(meeting_events)  # one-to-one meetings in the personal agenda feed
        contribute(agenda_entries)  # ... and on the agenda page
        personal_data.register()
