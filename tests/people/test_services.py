import pytest

from conference.errors import Conflict, InvalidInput
from people import services
from people.models import Profile
from tests.fixtures.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_sign_up_creates_account_and_profile_with_normalised_email():
    profile = services.sign_up(email=" Kim@Example.ORG ", password=PASSWORD, name="Kim Lee",
                               organisation="Cluster X", country="CZ", time_zone="Europe/Prague")
    assert profile.user.username == "kim@example.org"
    assert profile.user.check_password(PASSWORD)
    assert (profile.name, profile.country.code, profile.time_zone) == ("Kim Lee", "CZ", "Europe/Prague")
    with pytest.raises(Conflict):
        services.sign_up(email="KIM@example.org", password=PASSWORD, name="Kim again")


@pytest.mark.parametrize(("fields", "field"), [
    ({"email": "not-an-email"}, "email"),
    ({"name": "  "}, "name"),
    ({"time_zone": "Europe/Atlantis"}, "time_zone"),
    ({"password": "12345678"}, "password"),
])
def test_sign_up_rejects_bad_input_and_stores_nothing(fields, field):
    data = {"email": "new@example.org", "password": PASSWORD, "name": "New Person", **fields}
    with pytest.raises(InvalidInput) as error:
        services.sign_up(**data)
    assert error.value.field == field
    assert not Profile.objects.exists()


def test_update_profile_validates_time_zone_and_fields():
    user = make_user("Before", time_zone="UTC")
    services.update_profile(user, name="After", time_zone="Asia/Kolkata")
    with pytest.raises(InvalidInput, match="Unknown time zone"):
        services.update_profile(user, time_zone="Asia/Nowhere")
    with pytest.raises(InvalidInput, match="Unknown field"):
        services.update_profile(user, is_superuser=True)
    user.profile.refresh_from_db()
    assert (user.profile.name, user.profile.time_zone) == ("After", "Asia/Kolkata")
    assert not user.is_superuser


def test_rotating_the_feed_token_changes_it():
    user = make_user()
    old = user.profile.feed_token
    assert services.rotate_feed_token(user) != old
