"""Peer aggregates kept per fiscal year (see `ita.peers.store`): the peers page reads these
rows instead of grouping the year's results on every request."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ita.models.frameworks import Framework, score_field
from ita.models.results import Assessment


class PeerYear(models.Model):
    """Whether a year's peer rows are current: every write to its results adds one to
    `version`; a refresh records the version it read in `computed_version`."""

    framework = models.OneToOneField(
        Framework, on_delete=models.CASCADE, primary_key=True, related_name="peer_year"
    )
    version = models.PositiveBigIntegerField(default=1)
    computed_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("peer comparison year")
        verbose_name_plural = _("peer comparison years")

    def __str__(self) -> str:
        return f"{self.framework_id}: {self.computed_version}/{self.version}"

    @property
    def current(self) -> bool:
        return self.computed_version == self.version


class PeerCell(models.Model):
    """One score's aggregate over one group: a province and agency type, a whole province
    (agency_type ""), a type nationwide (province "") or the nation (both "").

    `key` is "overall", "tool:<id>", "indicator:<id>", "level:<label>" (counts only) or
    "assessments" (how many assessments the group has, scored or not: the ranking's length)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    province = models.CharField(max_length=100, blank=True)
    agency_type = models.CharField(max_length=20, blank=True)
    key = models.CharField(max_length=80)
    count = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    lowest = score_field("lowest", null=True)
    highest = score_field("highest", null=True)

    class Meta:
        indexes = [models.Index(fields=["framework", "province", "agency_type"])]
        verbose_name = _("peer group score")
        verbose_name_plural = _("peer group scores")

    def __str__(self) -> str:
        return f"{self.key} {self.province or '*'}/{self.agency_type or '*'}: {self.count}"


class PeerStanding(models.Model):
    """This assessment's own score and how many scored above and below it, per score and
    group: {key: [score, above, below, above, below, ...]}, groups in `SCOPES` order; and
    its place in the province's ranking of overall scores (`position` 0 is the first row,
    `rank` is shared on ties and None without a published overall), so that the page reads
    the 25 rows it shows and ranks nothing. `province` and `agency_type` are the groups it
    was counted in, which an incremental refresh compares with the assessment's own."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    counts = models.JSONField()
    province = models.CharField(max_length=100, blank=True, default="")
    agency_type = models.CharField(max_length=20, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    rank = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["framework", "province", "position"])]
        verbose_name = _("standing among peers")
        verbose_name_plural = _("standings among peers")

    def __str__(self) -> str:
        return f"{self.assessment_id}"
