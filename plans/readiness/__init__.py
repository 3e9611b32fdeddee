"""The OIT readiness board: which division gathers each OIT item's evidence for the coming
assessment, by when, where it is published, and whether its link answers."""
