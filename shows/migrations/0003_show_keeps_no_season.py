from django.db import migrations, models


def mark_tudum_seasonless_shows(apps, schema_editor):
    """Seasonless shows already holding Tudum rows were named so by Tudum ("N/A"): they keep no season.
    (Shows that took a season before this rule existed are left as they are; a backfill run twice
    shows any rows they hold of another name.)"""
    Show = apps.get_model("shows", "Show")
    Snapshot = apps.get_model("sources", "Snapshot")
    held = Snapshot.objects.filter(source__key="tudum", show__season="").values("show_id")
    Show.objects.filter(pk__in=held).update(keeps_no_season=True)


class Migration(migrations.Migration):
    dependencies = [
        ("shows", "0002_identity_alias_unmatched"),
        ("sources", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="show",
            name="keeps_no_season",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_tudum_seasonless_shows, migrations.RunPython.noop),
    ]
