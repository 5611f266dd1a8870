"""Background jobs of streaming: take ids, have explicit names, and are idempotent."""

import logging
import shutil
import subprocess
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.dispatch import receiver

from . import services, signals
from .models import Recording

log = logging.getLogger(__name__)


def tool(name: str) -> str:
    """ffmpeg/ffprobe on PATH (Debian's, or e.g. imageio-ffmpeg's put on PATH)."""
    return shutil.which(name) or f"/usr/bin/{name}"


@shared_task(name="streaming.end_if_not_back", ignore_result=True)
def end_if_not_back(endpoint_id: int, interrupted_at: str) -> bool:
    """End an interrupted stage when its publisher did not come back within the grace period."""
    return services.end_if_not_back(endpoint_id, interrupted_at)


@shared_task(name="streaming.sweep", ignore_result=True, soft_time_limit=20, time_limit=30)
def sweep() -> dict:
    return services.sweep()


def probe_duration(path: Path) -> float | None:
    result = subprocess.run(  # noqa: S603
        [tool("ffprobe"), "-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", str(path)],
        capture_output=True, text=True, timeout=60, check=False)
    try:
        return float(result.stdout.strip())
    except ValueError:
        return None


@shared_task(name="streaming.remux_recording", ignore_result=True, acks_late=True)
def remux_recording(recording_id: int) -> str:
    """Remux a recording (FLV from nginx-rtmp, MP4/TS from MediaMTX) to a faststart MP4 for replay,
    without re-encoding. Idempotent: a ready recording is left alone; the output is written to a
    temporary name and renamed."""
    recording = Recording.objects.select_related("endpoint").filter(pk=recording_id).first()
    if recording is None or recording.status == Recording.Status.READY:
        return "skipped"
    out_dir = Path(settings.STREAMING_REPLAY_DIR)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"{recording.endpoint.slug}-{recording.pk}.mp4"
    partial = out_dir / f".{name}.part.mp4"
    result = subprocess.run(  # noqa: S603
        [tool("ffmpeg"), "-nostdin", "-y", "-v", "error", "-i", recording.source_path, "-map", "0", "-c", "copy",
         "-movflags", "+faststart", str(partial)],
        capture_output=True, text=True, timeout=settings.CELERY_TASK_SOFT_TIME_LIMIT, check=False)
    duration = probe_duration(partial) if result.returncode == 0 else None
    if result.returncode != 0 or not duration:
        error = result.stderr.strip()[-2000:] or "empty recording"
        log.warning("remuxing recording %s (%s) failed: %s", recording_id, recording.source_path, error)
        partial.unlink(missing_ok=True)
        services.recording_remuxed(recording_id, "", None, error)
        return "failed"
    partial.replace(out_dir / name)
    services.recording_remuxed(recording_id, name, duration)
    return name


# The services ask for background work through signals (streaming.signals), connected here
# when StreamingConfig.ready imports this module.


@receiver(signals.stage_interrupted, dispatch_uid="streaming.tasks.end_if_not_back")
def _end_if_not_back_later(sender, endpoint_id: int, interrupted_at: str, grace_seconds: int, **kwargs) -> None:
    end_if_not_back.apply_async((endpoint_id, interrupted_at), countdown=grace_seconds)


@receiver(signals.recording_registered, dispatch_uid="streaming.tasks.remux_recording")
def _remux(sender, recording_id: int, **kwargs) -> None:
    remux_recording.delay(recording_id)
