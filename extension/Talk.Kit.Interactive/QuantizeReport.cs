using Talk.Kit.Compression.Quantization.Study;

namespace Talk.Kit.Interactive;

/// <summary><c>#!quantize</c>: the fp32 and quantized model's names in the workspace and the study that made and judged the quantized one.</summary>
public sealed record QuantizeReport(string Original, string Quantized, QuantizationStudy Study);
