using Talk.Kit.Models;
using Talk.Kit.Runtime;
using Talk.Kit.Training;
using Talk.Kit.Training.Export;

namespace Talk.Kit.Interactive;

/// <summary>The facts of a model worth a glance (a projection of <see cref="Model"/>, without its bytes).</summary>
public sealed record ModelCard(string Name, string Lineage, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, long? Opset,
    int Nodes, IReadOnlyDictionary<string, int> OpCounts, int Initializers, long InitializerBytes, long SizeBytes, string Fingerprint)
{
    public static ModelCard Of(string name, Model m) => new(name, m.Lineage.ToString(), m.Inputs.Select(i => i.ToString()).ToList(),
        m.Outputs.Select(o => o.ToString()).ToList(), m.Opset, m.NodeCount, m.OpTypeCounts, m.InitializerCount, m.InitializerBytes, m.SizeBytes, m.Fingerprint);
}

/// <summary>One row of <c>#!model zoo</c>.</summary>
public sealed record ZooRow(string Name, string Kind, string Description, string Recipe, bool Ready);

/// <summary><c>#!model zoo</c>: what can be loaded, and whether it is ready without training.</summary>
public sealed record ZooReport(IReadOnlyList<ZooRow> Entries, string Data);

/// <summary><c>#!model load</c>: the model now in the workspace, and how it was obtained.</summary>
public sealed record LoadReport(ModelCard Card, string How, TrainingRecord? Training);

/// <summary><c>#!model show</c>: summary from a real run, per node and in total, plus the graph.</summary>
public sealed record ShowReport(ModelCard Card, ModelSummary Summary);

/// <summary><c>#!model train</c>: the training run, the export check, and accuracy from the kit's evaluator.</summary>
public sealed record TrainReport(ModelCard Card, TrainingRecord Training, bool FromCache, ExportVerification? Export, ClassifierEvaluation Test, string? CacheFolder);

/// <summary><c>#!model eval</c>: accuracy on the labelled test set, or agreement with a reference model.</summary>
public sealed record EvalReport(string Model, ClassifierEvaluation? Accuracy, AgreementEvaluation? Agreement);
