namespace Talk.Kit.Compression.Quantization.Study;

/// <summary>Progress of a quantization study: the stage ("calibrate", "sensitivity", "evaluate", "benchmark", …) and how far it is.</summary>
public sealed record QuantizationProgress(string Stage, int Done, int Total)
{
    public override string ToString() => Total > 0 ? $"{Stage}: {Done}/{Total}" : Stage;
}
