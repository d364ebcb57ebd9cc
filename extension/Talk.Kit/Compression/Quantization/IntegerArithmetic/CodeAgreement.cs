namespace Talk.Kit.Compression.Quantization.IntegerArithmetic;

/// <summary>How two computations of the same output codes agree.</summary>
/// <param name="Elements">Codes compared.</param>
/// <param name="Exact">Codes equal.</param>
/// <param name="MaxAbsDiff">max |a − b| in code units (1 = one quantization step).</param>
public sealed record CodeAgreement(string Between, int Elements, int Exact, int MaxAbsDiff)
{
    public double ExactFraction => Elements == 0 ? 1 : (double)Exact / Elements;

    public static CodeAgreement Of(string between, IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count)
            throw new ArgumentException($"{between}: {a.Count} codes against {b.Count}; they are not the same output.");
        int exact = 0, max = 0;
        for (int i = 0; i < a.Count; i++)
        {
            int d = Math.Abs(a[i] - b[i]);
            if (d == 0) exact++;
            max = Math.Max(max, d);
        }
        return new CodeAgreement(between, a.Count, exact, max);
    }

    /// <summary>"integer vs ONNX Runtime: 1,024/1,024 codes equal (100.00%), max |Δ| 0".</summary>
    public override string ToString() => $"{Between}: {Exact:N0}/{Elements:N0} codes equal ({ExactFraction:P2}), max |Δ| {MaxAbsDiff}";
}
