"""Divisions move from the plans app to ita, beside Organisation and Membership.

State only: the tables keep their names (plans_division, plans_historicaldivision) and their
rows; only Django's idea of which app owns the model changes. plans 0005 removes the old
model from the plans app's state.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ita', '0005_membership_role'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Division',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='division name')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='divisions', to='ita.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'division',
                        'verbose_name_plural': 'division',
                        'db_table': 'plans_division',
                        'ordering': ['organisation', 'order', 'name'],
                    },
                ),
                migrations.AlterField(
                    model_name='historicalmembership',
                    name='division',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ita.division', verbose_name='division'),
                ),
                migrations.AlterField(
                    model_name='membership',
                    name='division',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='members', to='ita.division', verbose_name='division'),
                ),
                migrations.CreateModel(
                    name='HistoricalDivision',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='division name')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ita.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'historical division',
                        'verbose_name_plural': 'historical division',
                        'db_table': 'plans_historicaldivision',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name='division',
                    constraint=models.UniqueConstraint(fields=('organisation', 'name'), name='division_name_unique_per_organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]
