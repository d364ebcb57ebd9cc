using Onnx;

namespace Talk.Kit.Fusion;

/// <summary>
/// One graph rewrite: a name, a sentence saying what it does, and <see cref="Apply"/>, which edits the graph it is
/// given and says what changed. Passes never see a <see cref="Models.Model"/>: <see cref="FusionPipeline"/> hands
/// each one a fresh clone, and judges the result in ONNX Runtime (<see cref="EquivalenceCheck"/>).
/// </summary>
public interface IGraphPass
{
    /// <summary>Kebab-case name for reports and lineage, e.g. "fold-conv-bn".</summary>
    string Name { get; }

    /// <summary>One sentence: what the pass rewrites into what.</summary>
    string Description { get; }

    /// <summary>Rewrites every match in <paramref name="model"/> (a clone the caller owns: it is edited in place).</summary>
    /// <returns>What changed; <see cref="PassResult.Changed"/> is false when nothing matched.</returns>
    PassResult Apply(ModelProto model);
}

/// <summary>What kind of thing a pass changed.</summary>
public enum PassChangeKind
{
    NodeRemoved,
    NodeAdded,
    NodeRewritten,
    InitializerRemoved,
    InitializerAdded,
}

/// <summary>One change: a node or initializer, by name, and why.</summary>
/// <param name="Kind">Removed, added or rewritten; node or initializer.</param>
/// <param name="Name">Node name (or its first output when unnamed) or initializer name.</param>
/// <param name="Detail">Short reason, e.g. "folded into Conv conv1".</param>
public sealed record PassChange(PassChangeKind Kind, string Name, string Detail)
{
    /// <summary>"NodeRemoved bn1 (folded into Conv conv1)".</summary>
    public override string ToString() => $"{Kind} {Name} ({Detail})";
}

/// <summary>What one application of a pass did to a graph.</summary>
/// <param name="Pass">The pass's <see cref="IGraphPass.Name"/>.</param>
/// <param name="Changes">Every change, in the order made; empty when the pattern was absent.</param>
public sealed record PassResult(string Pass, IReadOnlyList<PassChange> Changes)
{
    public IReadOnlyList<PassChange> Changes { get; init; } = Changes.ToArray();

    /// <summary>True when the graph is different from what the pass was given.</summary>
    public bool Changed => Changes.Count > 0;

    public IEnumerable<PassChange> Of(PassChangeKind kind) => Changes.Where(c => c.Kind == kind);

    /// <summary>"fold-conv-bn: 2 changes" or "fold-conv-bn: no change".</summary>
    public override string ToString() => Changed ? $"{Pass}: {Changes.Count} changes" : $"{Pass}: no change";
}
