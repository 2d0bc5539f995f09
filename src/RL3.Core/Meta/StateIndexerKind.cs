namespace RL3.Core.Meta;

/// <summary>How an RL³ meta-environment maps observations to inner table rows (<see cref="InnerEstimatorOptions.Indexer"/>).</summary>
public enum StateIndexerKind
{
    /// <summary>The task's own state index (<see cref="Inner.DirectStateIndexer"/>); discrete families only.</summary>
    Direct,

    /// <summary>One row per distinct observation vector (<see cref="Inner.ExactMatchStateIndexer"/>).</summary>
    ExactMatch,

    /// <summary>Observations within the clustering radius ρ share a row (<see cref="Inner.RadiusClusteringStateIndexer"/>), as in RL³-coarse.</summary>
    RadiusClustering,
}
