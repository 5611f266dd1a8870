from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and notifications"

    def ready(self) -> None:
        from django.core import checks

        from attendance import signals as attendance
        from programme import signals as programme

        from . import personal_data, receivers, tasks  # noqa: F401 (tasks connects the background jobs)
        from .checks import lease_shorter_than_the_lead_time

        checks.register(lease_shorter_than_the_lead_time)

        programme.session_saved.connect(receivers.follow_session, dispatch_uid="reminders.follow_session")
        attendance.registration_changed.connect(receivers.follow_registration,
                                                dispatch_uid="reminders.follow_registration")
        attendance.agenda_changed.connect(receivers.follow_agenda, dispatch_uid="reminders.follow_agenda")
        personal_data.register()
