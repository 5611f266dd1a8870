"""Settings of the baseline server: the platform's, plus the channels_redis channel layer
that the tutorial consumer's group_send needs (the platform itself uses none)."""

from conference.settings import *  # noqa: F403
from conference.settings import REDIS_URL

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL]},
    }
}
