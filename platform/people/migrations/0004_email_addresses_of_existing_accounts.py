"""Accounts made before allauth get their email address as an unconfirmed primary address,
so that they can ask for a confirmation link (registering and writing in rooms need one)."""

from django.db import migrations


def add_addresses(apps, schema_editor):
    User = apps.get_model("auth", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create([
        EmailAddress(user_id=user.pk, email=user.email.lower(), primary=True, verified=False)
        for user in User.objects.exclude(email="").only("pk", "email").iterator()
        if user.pk not in have
    ])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_privacy_policy_and_consent"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(add_addresses, migrations.RunPython.noop)]
