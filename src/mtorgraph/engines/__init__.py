"""Where the atlas runs: in local worker processes (:mod:`.local`) or on a Spark cluster (:mod:`.spark`).

Both run the same per-source function (:func:`mtorgraph.analysis.atlas.source_conflicts`) on the
same graph and return an :class:`~.job.AtlasResult`, so their records are identical.
"""
