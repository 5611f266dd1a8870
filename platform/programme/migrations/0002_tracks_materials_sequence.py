# Tracks with colours (the old free-text track becomes a Track per name and edition), session
# materials, the iCalendar revision counter, and the captioner role.

import django.core.validators
import django.db.models.deletion
import programme.models
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify


# A copy of programme.services.TRACK_PALETTE as it was when this migration was written.
PALETTE = ["#0b5cad", "#1d7a3a", "#b3261e", "#7b3fa0", "#a35200", "#00727a", "#a3195b", "#5b6470"]


def tracks_from_names(apps, schema_editor):
    Session = apps.get_model("programme", "Session")
    Track = apps.get_model("programme", "Track")
    for session in Session.objects.exclude(track_name="").order_by("edition_id", "track_name"):
        existing = Track.objects.filter(edition_id=session.edition_id)
        track = existing.filter(name=session.track_name).first()
        if track is None:
            base = slugify(session.track_name)[:90] or "track"
            slug, n = base, 2
            while existing.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            track = Track.objects.create(edition_id=session.edition_id, name=session.track_name, slug=slug,
                                         colour=PALETTE[existing.count() % len(PALETTE)])
        session.track_id = track.pk
        session.save(update_fields=["track"])


def names_from_tracks(apps, schema_editor):
    Session = apps.get_model("programme", "Session")
    for session in Session.objects.exclude(track=None).select_related("track"):
        session.track_name = session.track.name
        session.save(update_fields=["track_name"])


class Migration(migrations.Migration):

    dependencies = [
        ('programme', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='session',
            name='sequence',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AlterField(
            model_name='editionrole',
            name='role',
            field=models.CharField(choices=[('organiser', 'Organiser'), ('moderator', 'Moderator (whole edition)'), ('speaker', 'Speaker'), ('captioner', 'Captioner (live captions of every session)'), ('attendee', 'Attendee')], max_length=10),
        ),
        migrations.CreateModel(
            name='Track',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('slug', models.SlugField(max_length=100)),
                ('colour', models.CharField(default='#0b5cad', help_text='#rrggbb', max_length=7, validators=[django.core.validators.RegexValidator('^#[0-9a-fA-F]{6}$', 'A colour is written #rrggbb, e.g. #0b5cad.')], verbose_name='colour')),
                ('edition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tracks', to='programme.edition')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.RenameField(model_name='session', old_name='track', new_name='track_name'),
        migrations.AddField(
            model_name='session',
            name='track',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='sessions', to='programme.track'),
        ),
        migrations.RunPython(tracks_from_names, names_from_tracks),
        migrations.RemoveField(model_name='session', name='track_name'),
        migrations.CreateModel(
            name='Material',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('slides', 'Slides'), ('paper', 'Paper'), ('link', 'Link')], default='slides', max_length=8)),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('file', models.FileField(blank=True, max_length=300, upload_to=programme.models.material_path)),
                ('url', models.URLField(blank=True, max_length=500)),
                ('size', models.PositiveBigIntegerField(blank=True, help_text='Bytes, for files', null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='materials', to='programme.session')),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('file', ''), models.Q(('url', ''), _negated=True)), models.Q(models.Q(('file', ''), _negated=True), ('url', '')), _connector='OR'), name='material_file_or_link')],
            },
        ),
        migrations.AddConstraint(
            model_name='track',
            constraint=models.UniqueConstraint(fields=('edition', 'name'), name='track_name_unique_in_edition'),
        ),
        migrations.AddConstraint(
            model_name='track',
            constraint=models.UniqueConstraint(fields=('edition', 'slug'), name='track_slug_unique_in_edition'),
        ),
    ]
