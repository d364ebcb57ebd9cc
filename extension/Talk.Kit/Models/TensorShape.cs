namespace Talk.Kit.Models;

/// <summary>A concrete tensor shape (every dimension known), compared by value: <c>TensorShape.Of(1, 6, 28, 28)</c>.</summary>
public sealed record TensorShape(IReadOnlyList<long> Dims)
{
    public IReadOnlyList<long> Dims { get; } = Dims.ToArray(); // a private copy: the caller's array may change later

    public static TensorShape Of(params long[] dims) => new(dims);

    public int Rank => Dims.Count;

    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount => Dims.Aggregate(1L, (n, d) => n * d);

    public long this[int axis] => Dims[axis < 0 ? Dims.Count + axis : axis];

    public bool Equals(TensorShape? other) => other is not null && Dims.SequenceEqual(other.Dims);

    public override int GetHashCode() => Dims.Aggregate(17, (h, d) => h * 31 + d.GetHashCode());

    /// <summary>"[1,6,28,28]".</summary>
    public override string ToString() => "[" + string.Join(",", Dims) + "]";
}

/// <summary>A tensor with its element type and real shape (e.g. as measured by running the model).</summary>
public sealed record ShapedTensor(string Name, OnnxElementType ElementType, TensorShape Shape)
{
    /// <summary>Dense storage size in bytes.</summary>
    public long Bytes => ElementType.TensorBytes(Shape.ElementCount);

    /// <summary>"conv1_out: float[1,6,28,28]".</summary>
    public override string ToString() => $"{Name}: {ElementType.OnnxName()}{Shape}";
}
