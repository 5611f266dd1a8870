"""Captions as WebVTT (the W3C caption format every browser's <track> plays). A line shows from
the moment it was written until the next one, at most CUE_SECONDS."""

import datetime as dt

from .models import Caption

CUE_SECONDS = 7.0
MIN_SECONDS = 0.5


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _escape(text: str) -> str:
    # Cue text is a small markup language: "<" starts a tag, "&" an entity, and "-->" ends a timing line.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(captions: list[Caption], start: dt.datetime, length: float | None = None) -> str:
    """A WebVTT file of `captions` with times counted from `start` (the video's first frame);
    lines written before it, or after `length` seconds, are left out."""
    out = ["WEBVTT", ""]
    number = 0
    for index, caption in enumerate(captions):
        begin = (caption.created_at - start).total_seconds()
        if begin < 0 or (length is not None and begin > length):
            continue
        end = begin + CUE_SECONDS
        if index + 1 < len(captions):
            end = min(end, (captions[index + 1].created_at - start).total_seconds())
        end = max(end, begin + MIN_SECONDS)
        if length is not None:
            end = min(end, max(length, begin + MIN_SECONDS))
        number += 1
        out += [str(number), f"{_timestamp(begin)} --> {_timestamp(end)}", _escape(caption.text), ""]
    return "\n".join(out) + "\n"
