namespace Talk.Kit.Fusion;

/// <summary>
/// The arithmetic of Transpose permutations and Reshape targets that <see cref="ReshapeTransposeSimplification"/>
/// proves its rewrites with. Pure functions on arrays; null means "cannot be proven", never a guess.
/// </summary>
internal static class ShapeAlgebra
{
    /// <summary>
    /// The one permutation q with Transpose(Transpose(x, first), second) = Transpose(x, q): output axis i of the second
    /// is its input axis second[i], which is x's axis first[second[i]]; so q[i] = first[second[i]].
    /// </summary>
    public static long[] Compose(long[] first, long[] second) => second.Select(axis => first[axis]).ToArray();

    /// <summary>[0, 1, …, n−1]: a Transpose by it moves nothing.</summary>
    public static bool IsIdentity(long[] perm) => perm.Select((axis, i) => axis == i).All(same => same);

    /// <summary>A permutation of 0…n−1 (each axis once): anything else is a malformed Transpose we leave alone.</summary>
    public static bool IsPermutation(long[] perm) => perm.Order().SequenceEqual(Enumerable.Range(0, perm.Length).Select(i => (long)i));

    /// <summary>
    /// The shape Reshape(x, <paramref name="target"/>) produces for x of shape <paramref name="input"/>: 0 copies x's
    /// dimension i (unless <paramref name="allowZero"/>, when it is a literal 0), one −1 takes what is left of the
    /// element count. Null when the target is malformed or does not fit the element count.
    /// </summary>
    public static long[]? ReshapeOutput(long[] target, long[] input, bool allowZero)
    {
        var output = new long[target.Length];
        int inferred = -1;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == 0 && !allowZero)
            {
                if (i >= input.Length) return null;
                output[i] = input[i];
            }
            else if (target[i] == -1)
            {
                if (inferred >= 0) return null;           // at most one −1
                inferred = i;
            }
            else if (target[i] < -1) return null;
            else output[i] = target[i];
        }
        long total = Product(input);
        if (inferred >= 0)
        {
            long known = output.Where((_, i) => i != inferred).Aggregate(1L, (a, d) => a * d);
            if (known == 0 || total % known != 0) return null;
            output[inferred] = total / known;
        }
        return Product(output) == total ? output : null;
    }

    /// <summary>
    /// The target of the second Reshape of Reshape(Reshape(x, first), second) rewritten to read x directly. Only the
    /// 0 entries (copy a dimension of the input; allowzero = 0) need care: the input changes from y to x. y's axis i
    /// is first[i] when that is a literal, or x's axis i when first[i] is itself a copying 0 (so the 0 may stay);
    /// anything else (a −1, an axis first does not have, a non-constant first) cannot be proven: null.
    /// </summary>
    public static long[]? ReadThrough(long[] second, bool secondAllowZero, long[]? first, bool firstAllowZero)
    {
        if (secondAllowZero || !second.Contains(0))
            return second;                                // no entry depends on the intermediate's dimensions
        var resolved = (long[])second.Clone();
        for (int i = 0; i < second.Length; i++)
        {
            if (second[i] != 0) continue;
            if (first is null || i >= first.Length) return null;
            if (first[i] > 0) resolved[i] = first[i];    // y[i] is the literal first[i]
            else if (first[i] == 0 && !firstAllowZero) resolved[i] = 0; // y[i] = x[i]: the 0 still copies the right dimension
            else return null;                             // y[i] was inferred (−1) or a literal 0 of allowzero
        }
        return resolved;
    }

    private static long Product(IEnumerable<long> dims) => dims.Aggregate(1L, (a, d) => a * d);
}
