"""Writes that tell the figures cache and the peer rows that data changed.

Year figures are cached under keys carrying `Assessment.figures_version` and
`Framework.figures_version` (`ita.queries.figures_key`); replacing a token is the whole of
invalidating. Every service that changes a result, narrative or remark calls
`assessment_figures_touch`; framework rows are edited through the admin's inlines and the
framework import, so `ita.signals` calls `framework_figures_touch` for any save or delete of
them. A batched writer (bulk_create/update) that bypasses `results_save` must call
`assessment_figures_touch` and `ita.peers.services.peers_touch` itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from ita.models import Assessment, Framework
from ita.models.frameworks import new_figures_version


def assessment_figures_touch(*, assessment_ids: Iterable[int]) -> None:
    """These assessments' figures changed: their cached year figures are no longer found."""
    Assessment.objects.filter(pk__in=list(assessment_ids)).update(
        figures_version=new_figures_version()
    )


def framework_figures_touch(*, framework_id: int) -> None:
    """A framework's rows changed: no figure of any of its assessments is found cached."""
    Framework.objects.filter(pk=framework_id).update(figures_version=new_figures_version())
