namespace Talk.Kit.Compression.Quantization.Calibration;

/// <summary>Calibration progress: samples run through the model so far, of <paramref name="Total"/>.</summary>
public sealed record CalibrationProgress(int Samples, int Total)
{
    /// <summary>Samples / Total, 0…1.</summary>
    public double Fraction => Total == 0 ? 1 : (double)Samples / Total;

    public override string ToString() => $"calibration {Samples}/{Total} samples";
}
