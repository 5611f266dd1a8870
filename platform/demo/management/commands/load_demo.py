"""python manage.py load_demo: load the demo editions and accounts once (see demo.builder)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from demo.builder import DEMO_SLUG, load_demo


class Command(BaseCommand):
    help = (
        "Load demo data once: the European Cluster Conference 2020 and 2022 editions, a hybrid demo "
        "edition running around today, and demo accounts for every role. Running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--refresh-demo", action="store_true",
            help="Rebuild the demo edition around the current time if its live session is over.",
        )

    def handle(self, *args, **options) -> None:
        result = load_demo(refresh_demo=options["refresh_demo"])
        if result.already_loaded:
            self.stdout.write("Demo data already loaded: nothing changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {', '.join(result.created)}."))
        site = settings.SITE_URL
        self.stdout.write("")
        placed = "a session is live now" if DEMO_SLUG in result.created else "times placed around its first load"
        self.stdout.write(f"Demo edition ({placed}): {site}{reverse('edition', args=[DEMO_SLUG])}")
        self.stdout.write(f"Programme: {site}{reverse('programme', args=[DEMO_SLUG])}")
        self.stdout.write(f"Log in: {site}{reverse('login')}")
        self.stdout.write(f"Django admin (organiser): {site}{reverse('admin:index')}")
        self.stdout.write("")
        self.stdout.write("Demo logins (the username is the email address):")
        rows = [("Role", "Username", "Password", "What for")] + [
            (login.role, login.username, login.password, login.note) for login in result.logins
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:3])]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
