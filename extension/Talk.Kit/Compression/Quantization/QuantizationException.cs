namespace Talk.Kit.Compression.Quantization;

/// <summary>A model cannot be quantized as asked: the message says what is wrong and what to do instead.</summary>
public sealed class QuantizationException : Exception
{
    public QuantizationException(string message) : base(message)
    {
    }
}
