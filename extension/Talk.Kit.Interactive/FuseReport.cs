using Talk.Kit.Fusion;

namespace Talk.Kit.Interactive;

/// <summary><c>#!fuse</c>: the original and fused model's names in the workspace and the study that made the fused one.</summary>
public sealed record FuseReport(string Original, string Fused, FusionStudy Study);
