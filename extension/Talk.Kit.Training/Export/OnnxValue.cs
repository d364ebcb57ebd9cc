namespace Talk.Kit.Training.Export;

/// <summary>A tensor flowing through the graph being exported: its ONNX value name and its rank (4 for [N,C,H,W]).</summary>
/// <remarks>The rank is tracked so a rule can refuse a wrong input with a hint (Gemm needs [N,features]).</remarks>
internal readonly record struct OnnxValue(string Name, int Rank);
