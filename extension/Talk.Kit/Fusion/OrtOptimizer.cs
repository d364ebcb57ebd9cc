using Microsoft.ML.OnnxRuntime;
using Talk.Kit.Models;
using Talk.Kit.Runtime;

namespace Talk.Kit.Fusion;

/// <summary>
/// ONNX Runtime's own graph optimizer, run offline: the graph ORT would execute at a level, saved as a model
/// (<c>SessionOptions.OptimizedModelFilePath</c>) so it can be inspected and compared with the kit's passes.
/// BASIC: constant folding, redundant node removal, Conv+BN folding; EXTENDED: FusedConv/FusedGemm and other
/// contrib fusions; ALL: layout rewrites for this CPU (NCHWc), so an ALL graph is only meant for this kind of machine.
/// </summary>
public static class OrtOptimizer
{
    /// <summary>Names a user may type for the levels.</summary>
    public static readonly IReadOnlyDictionary<string, GraphOptimizationLevel> Levels = new Dictionary<string, GraphOptimizationLevel>(StringComparer.OrdinalIgnoreCase)
    {
        ["basic"] = GraphOptimizationLevel.ORT_ENABLE_BASIC,
        ["extended"] = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        ["all"] = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    /// <summary>The model as ORT optimizes it at <paramref name="level"/>, validated, with a lineage step.</summary>
    public static Model Optimize(Model model, GraphOptimizationLevel level)
    {
        if (level == GraphOptimizationLevel.ORT_DISABLE_ALL)
            throw new ArgumentException("Choose a level that optimizes: basic, extended or all.", nameof(level));
        string folder = Directory.CreateTempSubdirectory("talkkit-ort-optimize-").FullName;
        try
        {
            string path = Path.Combine(folder, "optimized.onnx");
            using (var options = Ort.CreateSessionOptions(threads: 1, level))
            {
                options.OptimizedModelFilePath = path;
                // ORT warns on every ALL-level save that NCHWc graphs are machine-specific; the summary above says so once.
                options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
                using var session = new InferenceSession(model.ToArray(), options); // writes the optimized graph
            }
            string name = $"{model.Name}-ort-{LevelName(level)}";
            return ModelLoader.Validate(model.With(File.ReadAllBytes(path), LineageStep.Now("ort-optimize", new Dictionary<string, string> { ["level"] = LevelName(level) }), name));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static string LevelName(GraphOptimizationLevel level) => level switch
    {
        GraphOptimizationLevel.ORT_ENABLE_BASIC => "basic",
        GraphOptimizationLevel.ORT_ENABLE_EXTENDED => "extended",
        GraphOptimizationLevel.ORT_ENABLE_ALL => "all",
        _ => "disabled",
    };
}
