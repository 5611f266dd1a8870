"""Browser steps for accounts, shared by the end-to-end tests."""

import os
from pathlib import Path

from tests.fixtures.factories import PASSWORD, link_in


def sign_up(page, name: str, email: str, password: str = PASSWORD) -> None:
    """From a page with the header's "Sign up" link."""
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("I have read the privacy policy").check()
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text(f"We sent a link to {email}").wait_for()


def confirm_email(page, mailbox, email: str) -> None:
    """Open the link of the confirmation email that the real SMTP server received, and confirm."""
    [received] = mailbox.wait(1, to=email)
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    page.goto(link_in(text, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm my address").click()
    page.get_by_text(f"Your email address {email} is confirmed").wait_for()


def log_in(page, base: str, email: str, password: str = PASSWORD, next_path: str = "/") -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def screenshot(page, name: str) -> None:
    """With SCREENSHOTS=<folder> set, the page at desktop (1366×900) and phone (390×844) width:
    how the README's pictures are made. Does nothing otherwise."""
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, width, height in (("desktop", 1366, 900), ("phone", 390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(Path(folder) / f"{name}-{label}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)
