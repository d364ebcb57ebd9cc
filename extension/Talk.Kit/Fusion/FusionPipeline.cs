using Google.Protobuf;
using Onnx;
using Talk.Kit.Models;

namespace Talk.Kit.Fusion;

/// <summary>A fused model and how it was made.</summary>
public sealed record FusionResult(Model Model, FusionReport Report);

/// <summary>
/// Runs graph passes to a fixed point: round after round, every pass in order, until a round changes nothing
/// (or <see cref="MaxIterations"/>). Every application that changed the graph is verified in ONNX Runtime
/// against the graph before it (<see cref="EquivalenceCheck"/>), so a wrong pass is caught and named at once;
/// the result is also checked end to end against the input.
/// </summary>
public sealed class FusionPipeline
{
    public const int DefaultMaxIterations = 8;

    /// <param name="passes">Applied in this order each round.</param>
    /// <param name="tolerance">Equivalence rule (default: 1e-5 + 1e-4·|a|).</param>
    /// <param name="maxIterations">Cap on rounds.</param>
    public FusionPipeline(IReadOnlyList<IGraphPass> passes, EquivalenceTolerance? tolerance = null, int maxIterations = DefaultMaxIterations)
    {
        ArgumentNullException.ThrowIfNull(passes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        Passes = passes.ToArray();
        Tolerance = tolerance ?? EquivalenceTolerance.Default;
        MaxIterations = maxIterations;
    }

    /// <summary>
    /// The kit's passes, in a sensible order: bypass copies, fold constants, simplify shape ops, fold BN (after Conv and
    /// after Gemm) and bias Adds, fuse MatMul+Add, fuse activations, then sweep.
    /// </summary>
    public static FusionPipeline Default { get; } = new(
    [
        new IdentityElimination(),             // Identity/Dropout out of the way, so patterns become adjacent
        new ConstantFolding(),                 // f(constants) → one initializer, computed once in ORT; Constant → initializer
        new ReshapeTransposeSimplification(),  // after folding, so shapes computed from constants are initializers; T∘T → T, R∘R → R
        new ConvBatchNormFolding(),            // W′ = W·γ/√(σ²+ε), b′ = (b−μ)·γ/√(σ²+ε)+β
        new GemmBatchNormFolding(),            // the same for BatchNorm1d after Linear: B′ = α·B·s per column, C′ = (β·C−μ)·s+β
        new ConvAddBiasFolding(),              // Conv(W, b) + c[1,K,1,1] → Conv(W, b + c)
        new MatMulAddToGemm(),                 // MatMul(A, B) + c → Gemm(A, B, c)
        new ActivationFusion(),                // Conv/Gemm → Relu → com.microsoft:FusedConv/FusedGemm; last: it renames the op types above match on
        new DeadNodeElimination(),             // whatever nobody reads any more
    ]);

    public IReadOnlyList<IGraphPass> Passes { get; }
    public EquivalenceTolerance Tolerance { get; }
    public int MaxIterations { get; }

    /// <summary>Fuses <paramref name="model"/> (left as it was) into a new model with one lineage step "fuse".</summary>
    /// <param name="realInputs">Optional real input sets fed besides the random ones at every check.</param>
    /// <exception cref="PassVerificationException">A pass changed an output beyond the tolerance.</exception>
    public FusionResult Run(Model model, IReadOnlyList<IReadOnlyList<EquivalenceInput>>? realInputs = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var applications = new List<PassApplication>();
        var current = model;
        int round = 0;
        bool changedThisRound = true;
        while (changedThisRound && round < MaxIterations)
        {
            round++;
            changedThisRound = false;
            foreach (var pass in Passes)
            {
                ModelProto edited = current.ToProto();
                var result = pass.Apply(edited);
                if (!result.Changed)
                    continue;
                var next = Model.FromBytes(edited.ToByteArray(), $"{model.Name}-{pass.Name}", $"{model.Name} after {pass.Name}");
                var verdict = EquivalenceCheck.Verify(pass.Name, current, next, Tolerance, realInputs);
                applications.Add(new PassApplication(round, result, verdict));
                current = next;
                changedThisRound = true;
            }
        }
        var endToEnd = applications.Count == 0 ? null : EquivalenceCheck.Verify("fuse", model, current, Tolerance, realInputs);
        var step = LineageStep.Now("fuse", new Dictionary<string, string>
        {
            ["passes"] = string.Join("+", Passes.Select(p => p.Name)),
            ["rounds"] = round.ToString(),
            ["tolerance"] = Tolerance.ToString(),
        });
        var fused = model.With(current.ToProto(), step);
        var report = new FusionReport(applications, round, !changedThisRound, model.OpTypeCounts, fused.OpTypeCounts, endToEnd);
        return new FusionResult(fused, report);
    }
}
