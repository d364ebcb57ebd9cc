namespace Talk.Kit.Models;

/// <summary>One declared dimension: a fixed size, a symbol (<c>batch</c>), or unknown (both null).</summary>
public readonly record struct TensorDim(long? Value, string? Symbol)
{
    public static TensorDim Fixed(long value) => new(value, null);
    public static TensorDim Symbolic(string symbol) => new(null, symbol);

    public bool IsFixed => Value is not null;

    /// <summary>"28", "batch" or "?".</summary>
    public override string ToString() => Value?.ToString() ?? Symbol ?? "?";
}

/// <summary>A graph input or output as the model declares it (symbolic dimensions stay symbols).</summary>
/// <param name="Name">Tensor name in the graph.</param>
/// <param name="ElementType">Element type; 0 when the model does not say.</param>
/// <param name="Dims">Declared shape; null when the model declares no shape (rank unknown).</param>
public sealed record TensorSpec(string Name, OnnxElementType ElementType, IReadOnlyList<TensorDim>? Dims)
{
    /// <summary>"x: float[batch,1,28,28]".</summary>
    public override string ToString() =>
        $"{Name}: {ElementType.OnnxName()}{(Dims is null ? "[?]" : "[" + string.Join(",", Dims) + "]")}";
}
