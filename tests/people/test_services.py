import pytest

from conference.errors import InvalidInput
from people import services
from tests.fixtures.factories import make_user

pytestmark = pytest.mark.django_db


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
