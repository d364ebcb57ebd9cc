using System.Collections.ObjectModel;

namespace Talk.Kit.Models;

/// <summary>
/// How a model was made: where the chain began and every pass since, oldest first
/// (DESIGN rule 2: every report can say how its model was made).
/// </summary>
/// <param name="Source">A full file path, a zoo name, or "bytes".</param>
/// <param name="Steps">Passes applied, in order.</param>
public sealed record ModelLineage(string Source, IReadOnlyList<LineageStep> Steps)
{
    public IReadOnlyList<LineageStep> Steps { get; init; } = Steps.ToArray();

    /// <summary>A chain with no step yet.</summary>
    public static ModelLineage From(string source) => new(source, []);

    /// <summary>This chain with <paramref name="step"/> appended (this one is left as it was).</summary>
    public ModelLineage Then(LineageStep step) => this with { Steps = [.. Steps, step] };

    /// <summary>"lenet.onnx → fuse(bn=true) → quantize(bits=8)".</summary>
    public override string ToString() => Source + string.Concat(Steps.Select(s => " → " + s));
}

/// <summary>One pass applied to a model.</summary>
/// <param name="Pass">Pass name, e.g. "fuse-conv-bn".</param>
/// <param name="Parameters">Settings the pass ran with, as text (what a report prints).</param>
/// <param name="At">When it ran (UTC).</param>
public sealed record LineageStep(string Pass, IReadOnlyDictionary<string, string> Parameters, DateTimeOffset At)
{
    public IReadOnlyDictionary<string, string> Parameters { get; init; } =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(Parameters)); // a copy the caller cannot change

    /// <summary>A step stamped with the current time.</summary>
    public static LineageStep Now(string pass, IReadOnlyDictionary<string, string>? parameters = null) =>
        new(pass, parameters ?? new Dictionary<string, string>(), DateTimeOffset.UtcNow);

    /// <summary>"quantize(bits=8, per-channel=true)".</summary>
    public override string ToString() =>
        Parameters.Count == 0 ? Pass : $"{Pass}({string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"))})";
}
