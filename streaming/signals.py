"""Background work that streaming's services ask for, sent after the commit. streaming.tasks
connects the Celery jobs to them, so that only tasks.py knows Celery and the services never
import the tasks that call them."""

from django.dispatch import Signal

# stage_interrupted(sender=StreamEndpoint, endpoint_id, interrupted_at: ISO time, grace_seconds)
stage_interrupted = Signal()
# recording_registered(sender=Recording, recording_id): a new recording file is ready to be remuxed
recording_registered = Signal()
