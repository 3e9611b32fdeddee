"""Divisions now belong to ita (see ita 0006): the plans app's foreign keys point there.

State only: the tables, columns and constraints in the database are unchanged.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ita', '0006_division_from_plans'),
        ('plans', '0004_standard_measures_from_reference'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalprogressreport',
                    name='division',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ita.division', verbose_name='division'),
                ),
                migrations.AlterField(
                    model_name='notification',
                    name='division',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ita.division', verbose_name='division'),
                ),
                migrations.AlterField(
                    model_name='progressreport',
                    name='division',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ita.division', verbose_name='division'),
                ),
                migrations.AlterField(
                    model_name='historicalaction_divisions',
                    name='division',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ita.division'),
                ),
                migrations.RemoveField(
                    model_name='historicaldivision',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaldivision',
                    name='organisation',
                ),
                migrations.AlterField(
                    model_name='action',
                    name='divisions',
                    field=models.ManyToManyField(blank=True, related_name='actions', to='ita.division', verbose_name='responsible divisions'),
                ),
                migrations.DeleteModel(
                    name='Division',
                ),
                migrations.DeleteModel(
                    name='HistoricalDivision',
                ),
            ],
            database_operations=[],
        ),
    ]
